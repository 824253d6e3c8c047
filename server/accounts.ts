// Accounts: the auth key check, the no-enumeration pre-login answer and the sign-in limits.
// The auth key is 32 bytes derived from the master password by the client; being high-entropy, a
// salted SHA-256 of it is as strong as anything slower, and the server never sees the password.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Deps } from './deps.ts';
import { ServerError } from './errors.ts';
import type { Kysely } from 'kysely';
import type { Schema } from './db/schema.ts';
import { addressKey } from './client-address.ts';
import { rateLimited, releaseAttempt, remember, remembered, reserveAttempt, type Reservation } from './rate-limit.ts';
import { MIN_KDF, SALT_BYTES, type KdfParams } from './schemas.ts';

export function newId(): string {
  return randomBytes(16).toString('base64url');
}

export function hashAuthKey(authKey: string, authSalt: string): string {
  return createHash('sha256').update(Buffer.from(authSalt, 'base64url')).update(Buffer.from(authKey, 'base64url')).digest('base64url');
}

export function authKeyMatches(authKey: string, authSalt: string, expectedHash: string): boolean {
  const actual = Buffer.from(hashAuthKey(authKey, authSalt), 'base64url');
  const expected = Buffer.from(expectedHash, 'base64url');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A salt for a username nobody registered: stable, and as random-looking as a real one. */
export function decoySalt(deps: Deps, username: string): string {
  return createHmac('sha256', deps.preloginSecret).update(`prelogin-salt\0${username}`).digest().subarray(0, SALT_BYTES).toString('base64url');
}

export function requireStrongKdf(kdf: KdfParams): void {
  if (kdf.memoryKiB < MIN_KDF.memoryKiB || kdf.passes < MIN_KDF.passes) {
    throw new ServerError(
      'WEAK_KDF_PARAMS',
      'The key derivation settings are weaker than Argon2id with 64 MiB and 3 passes, which this server requires. Update Latchkey and try again.',
    );
  }
}

/**
 * Reserve one sign-in attempt (one commit) against: this account from this address, this address
 * whatever the account, and the account's pace once it has drawn many failures (see LoginLimits).
 * Throws RATE_LIMITED with details.retryAfterSeconds when one is used up. Once the auth key proved
 * right, call `succeeded(trx)` in the transaction that starts the session: it gives back this
 * attempt's own slots (never more, so one account's successes cannot make room for guesses at
 * another's) and remembers the address as the account's.
 */
export async function reserveSignIn(deps: Deps, username: string, ip: string): Promise<{ succeeded(db: Kysely<Schema>): Promise<void> }> {
  const { perAccountAddress, perAddress, accountSlowDown: slow } = deps.config.loginLimits;
  const now = deps.now();
  const address = addressKey(ip);
  const keys = {
    pair: `login-pair:${username}|${address}`,
    address: `login-address:${address}`,
    account: `login-account:${username}`,
    pace: `login-pace:${username}`,
    known: `login-known:${username}|${address}`,
  };
  const [pair, fromAddress, paced] = await deps.database.db.transaction().execute(async (trx) => {
    const pairSlot = await reserveAttempt(trx, keys.pair, perAccountAddress, now);
    const addressSlot = await reserveAttempt(trx, keys.address, perAddress, now);
    // Counts every attempt at the account; it only ever slows, never refuses, on its own.
    const account = await reserveAttempt(trx, keys.account, { max: slow.after, windowMs: slow.windowMs }, now);
    let pace: Reservation | null = null;
    if (!account.allowed && pairSlot.allowed && addressSlot.allowed && !(await remembered(trx, keys.known, now))) {
      const delayMs = Math.min(slow.maxDelayMs, slow.firstDelayMs * 2 ** Math.min(30, account.count - slow.after - 1));
      pace = await reserveAttempt(trx, keys.pace, { max: 1, windowMs: delayMs }, now);
    }
    return [pairSlot, addressSlot, pace] as const;
  });
  if (!pair.allowed) throw rateLimited('Too many failed sign-in attempts for this account from your network address.', pair.retryAfterMs);
  if (!fromAddress.allowed) throw rateLimited('Too many failed sign-in attempts from your network address.', fromAddress.retryAfterMs);
  if (paced && !paced.allowed) {
    throw rateLimited('This account has had many failed sign-in attempts, so new devices must wait between tries.', paced.retryAfterMs);
  }
  return {
    async succeeded(db) {
      for (const key of [keys.pair, keys.address, keys.account]) await releaseAttempt(db, key);
      await remember(db, keys.known, now, now + slow.knownAddressMs);
    },
  };
}

export const wrongPassword = () =>
  new ServerError('WRONG_PASSWORD', 'The username or master password is wrong. Check both and try again.');
