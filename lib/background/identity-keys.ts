// My own identity for people and messages: the account's public keys, and the private halves
// opened from the account record only for the one operation that needs them, then wiped.
import { openIdentity, type Identity } from '../crypto/identity';
import { fingerprint } from '../crypto/identity';
import { AppError } from '../errors';
import { t } from '../i18n';
import type { AccountRecord } from '../vault/db';
import type { VaultRepository } from '../vault/repository';
import { ACCOUNT_AD_ID } from './session-service';
import type { SessionService } from './types';

export interface MyIdentity {
  account: AccountRecord;
  userKey: Uint8Array;
  fingerprint: string;
}

export async function myIdentity(repo: Pick<VaultRepository, 'account'>, session: SessionService): Promise<MyIdentity> {
  const userKey = session.userKey();
  const account = await repo.account();
  if (!account) throw new AppError('NO_VAULT', t('peopleErrorNoAccount'));
  return { account, userKey, fingerprint: fingerprint(account.boxPublicKey, account.signingPublicKey) };
}

/** Runs `use` with my private keys, wiping them afterwards whatever happens. */
export async function withPrivateKeys<T>(me: MyIdentity, use: (identity: Identity) => Promise<T> | T): Promise<T> {
  const identity = openIdentity(me.userKey, me.account.sealedPrivateKeys, ACCOUNT_AD_ID);
  try {
    return await use(identity);
  } finally {
    identity.box.privateKey.fill(0);
    identity.signing.privateKey.fill(0);
  }
}
