// The companion-server account: create one for this vault, sign in on a new device, sign out
// (here or everywhere), change the master password. The master password never leaves the device:
// the server gets an auth key derived from it, and the user key wrapped by another.
import { z } from 'zod';
import { equalBytes, fromBase64Url, toBase64Url } from '../crypto/encoding';
import { openIdentity } from '../crypto/identity';
import { DEFAULT_KDF } from '../crypto/kdf';
import { unwrapKey, wrapKey } from '../crypto/keys';
import { randomBytes } from '../crypto/random';
import { AppError } from '../errors';
import { apiError, apiErrorDetails } from '../api/client';
import { formatNumber, t } from '../i18n';
import type { MessageRouter } from '../messages/router';
import type { VaultRepository } from '../vault/repository';
import { ACCOUNT_AD_ID, userKeyAd, type FullSessionService } from './session-service';
import type { SyncService } from './sync-service';

export interface AccountDeps {
  router: MessageRouter;
  repo: VaultRepository;
  session: FullSessionService;
  sync: SyncService;
}

const serverUrlSchema = z
  .string()
  .trim()
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, { error: () => t('errorServerAddress') });

const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._@+-]{2,63}$/, { error: () => t('errorUsernameFormat') });
export const emailSchema = z.string().trim().toLowerCase().pipe(z.email({ error: () => t('errorEmailFormat') }));

export function check<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError('BAD_INPUT', r.error.issues[0]?.message ?? t('errorCheckInput'));
  return r.data;
}

/** Minutes to wait, from a RATE_LIMITED answer (at least one). */
export function minutesToWait(e: unknown): string {
  const seconds = Number(apiErrorDetails(e)?.retryAfterSeconds) || 3600;
  return formatNumber(Math.max(1, Math.ceil(seconds / 60)));
}

/** A registration's server errors, said for registration: no account was created by any of them. */
async function registering<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    const err = apiError(e);
    if (err.code === 'NETWORK') throw new AppError('NETWORK', t('accountRegisterUnreachable'), { cause: e });
    if (err.code === 'RATE_LIMITED') throw new AppError('RATE_LIMITED', t('accountRegisterRateLimited', minutesToWait(e)), { cause: e });
    throw err;
  }
}

/** Server errors become AppErrors; a wrong password keeps its own code and message. */
async function remote<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw apiError(e);
  }
}

export function createAccountService(deps: AccountDeps): void {
  const { router, repo, session, sync } = deps;

  router.on('account.status', () => sync.status());
  router.on('sync.now', async () => {
    await sync.syncNow();
    return sync.status();
  });

  router.on('account.register', async (input) => {
    const serverUrl = check(serverUrlSchema, input.serverUrl).replace(/\/+$/, '');
    const username = check(usernameSchema, input.username);
    const email = check(emailSchema, input.email);
    if (await repo.sync()) throw new AppError('BAD_INPUT', t('errorAlreadySignedIn'));
    // Everything local is decided before the server hears of it: a locked vault, a wrong or weak
    // password create nothing anywhere. A new vault is prepared in memory and stored only once the
    // server has said yes, so a refused registration leaves nothing behind on this browser.
    const existing = await repo.account();
    if (existing && session.state() !== 'unlocked') throw new AppError('LOCKED', t('accountRegisterLocked'));
    const prepared = existing ? undefined : await session.prepare(input.password);
    const { authKey, account } = prepared ?? (await session.verifyPassword(input.password));
    const api = sync.apiFor(serverUrl);
    const created = await registering(() =>
      api.account.register.mutate({
        username,
        email,
        authKey: toBase64Url(authKey),
        salt: toBase64Url(account.salt),
        kdf: account.kdf,
        wrappedUserKey: toBase64Url(account.wrappedUserKey),
        identity: {
          boxPublicKey: toBase64Url(account.boxPublicKey),
          signingPublicKey: toBase64Url(account.signingPublicKey),
          sealedPrivateKeys: toBase64Url(account.sealedPrivateKeys),
        },
      }),
    );
    if (prepared) await session.install({ ...account, userId: created.userId }, prepared.userKey);
    else await repo.replaceAccount({ ...account, userId: created.userId });
    await sync.begin({ serverUrl, username, userId: created.userId, cursor: 0, cursors: {}, lastSyncAt: 0 }, created.token);
  });

  router.on('account.removeVault', async ({ password }) => {
    // Starting over is for a vault that is not synced here: a synced one signs out first, so
    // nothing waiting to sync is dropped without the person having seen "Waiting to sync".
    if (await repo.sync()) throw new AppError('BAD_INPUT', t('accountStartOverSignOutFirst'));
    await session.removeVault(password);
  });

  router.on('account.signIn', async (input) => {
    const serverUrl = check(serverUrlSchema, input.serverUrl).replace(/\/+$/, '');
    const username = check(usernameSchema, input.username);
    const existing = await repo.account();
    if (await repo.sync()) throw new AppError('BAD_INPUT', t('errorAlreadySignedIn'));
    const api = sync.apiFor(serverUrl);
    const pre = await remote(() => api.account.preLogin.query({ username }));
    // deriveKeys refuses parameters below our minimum, whatever the server sent (SECURITY.md 25).
    const keys = await session.deriveKeys(input.password, fromBase64Url(pre.salt), pre.kdf);
    const login = await remote(() => api.account.login.mutate({ username, authKey: toBase64Url(keys.authKey) }));
    if (existing && existing.userId !== login.userId) {
      await sync.apiFor(serverUrl, login.token).account.logout.mutate().catch(() => undefined);
      throw new AppError('VAULT_EXISTS', t('accountOtherVaultHere'));
    }
    const wrappedUserKey = fromBase64Url(login.wrappedUserKey);
    let userKey: Uint8Array;
    let identity: ReturnType<typeof openIdentity>;
    try {
      userKey = unwrapKey(keys.wrapKey, wrappedUserKey, userKeyAd());
      identity = openIdentity(userKey, fromBase64Url(login.identity.sealedPrivateKeys), ACCOUNT_AD_ID);
    } catch {
      throw new AppError('DECRYPT_FAILED', t('errorAccountKeysWrong'));
    }
    // The public keys are what fingerprints and every grant check rest on: they must be the ones
    // of the private keys we just opened, never whatever the server says they are.
    const samePublicKeys =
      equalBytes(identity.box.publicKey, fromBase64Url(login.identity.boxPublicKey)) &&
      equalBytes(identity.signing.publicKey, fromBase64Url(login.identity.signingPublicKey));
    identity.box.privateKey.fill(0);
    identity.signing.privateKey.fill(0);
    if (!samePublicKeys) {
      await sync.apiFor(serverUrl, login.token).account.logout.mutate().catch(() => undefined);
      throw new AppError('KEY_MISMATCH', t('errorAccountKeysMismatch'));
    }
    const account = {
      key: 'account' as const,
      userId: login.userId,
      kdf: login.kdf,
      salt: fromBase64Url(login.salt),
      wrappedUserKey,
      boxPublicKey: identity.box.publicKey,
      signingPublicKey: identity.signing.publicKey,
      sealedPrivateKeys: fromBase64Url(login.identity.sealedPrivateKeys),
      createdAt: Date.now(),
    };
    if (existing) {
      // The same account signing in again, e.g. after its master password changed on another
      // device: the user key is the one this vault already has, now wrapped under the new password,
      // so storing the server's wrapping re-wraps it here too. Entries stay as they are.
      if (session.state() === 'unlocked' && !equalBytes(session.userKey(), userKey)) {
        throw new AppError('DECRYPT_FAILED', t('errorAccountKeysWrong'));
      }
      await repo.replaceAccount({ ...account, createdAt: existing.createdAt });
      if (session.state() !== 'unlocked') await session.unlock(input.password);
    } else {
      await session.install(account, userKey);
    }
    // A new device lists the vault from the server's snapshot at once; the records follow.
    await sync.begin({ serverUrl, username, userId: login.userId, cursor: 0, cursors: {}, lastSyncAt: 0 }, login.token, { firstSignIn: !existing });
  });

  router.on('account.signOut', async () => {
    if (!(await repo.sync())) return;
    await sync.api().account.logout.mutate().catch(() => undefined); // signing out works offline too
    await sync.end();
  });

  router.on('account.signOutEverywhere', async (input) => {
    // The session token is sealed under the user key: a locked vault unlocks for it first.
    if (!(await repo.sync())) throw new AppError('UNAUTHENTICATED', t('errorNotSignedIn'));
    if (session.state() !== 'unlocked') {
      if (!input?.password) throw new AppError('LOCKED', t('accountUnlockToSignOutEverywhere'));
      await session.unlock(input.password);
    }
    await sync.syncNow().catch(() => undefined); // connects; sends what is waiting first
    await remote(() => sync.api().account.logoutEverywhere.mutate());
    await sync.end();
  });

  router.on('account.changePassword', async ({ current, next }) => {
    await session.assertNewPassword(next);
    const userKey = session.userKey();
    const { authKey, account } = await session.verifyPassword(current);
    const newSalt = randomBytes(16);
    const fresh = await session.deriveKeys(next, newSalt, DEFAULT_KDF);
    // Only the user key is re-wrapped: entries stay as they are.
    const newWrappedUserKey = wrapKey(fresh.wrapKey, userKey, userKeyAd());
    if (await repo.sync()) {
      await remote(() =>
        sync.api().account.changePassword.mutate({
          authKey: toBase64Url(authKey),
          newAuthKey: toBase64Url(fresh.authKey),
          newSalt: toBase64Url(newSalt),
          newKdf: DEFAULT_KDF,
          newWrappedUserKey: toBase64Url(newWrappedUserKey),
        }),
      );
    }
    await repo.replaceAccount({ ...account, salt: newSalt, kdf: DEFAULT_KDF, wrappedUserKey: newWrappedUserKey });
  });
}
