// Accounts: the auth key check, the no-enumeration pre-login answer and the sign-in rate limits.
// The auth key is 32 bytes derived from the master password by the client; being high-entropy, a
// salted SHA-256 of it is as strong as anything slower, and the server never sees the password.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Deps } from './deps.ts';
import { ServerError } from './errors.ts';
import type { Kysely } from 'kysely';
import type { Schema } from './db/schema.ts';
import { deleteStaleCounters, releaseAttempt, reserveAttempt, type Reservation } from './rate-limit.ts';
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

const minutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));

/**
 * Reserve one sign-in attempt against the account and the client's address (one commit). Throws
 * RATE_LIMITED when either is used up. Once the auth key proved right, call `succeeded(trx)` in
 * the transaction that starts the session, to give both slots back.
 */
export async function reserveSignIn(deps: Deps, username: string, ip: string): Promise<{ succeeded(db: Kysely<Schema>): Promise<void> }> {
  const limits = deps.config.loginLimits;
  const now = deps.now();
  const [account, address] = await deps.database.db.transaction().execute(async (trx) => [
    await reserveAttempt(trx, `login-account:${username}`, limits.perAccount, now),
    await reserveAttempt(trx, `login-address:${ip}`, limits.perAddress, now),
  ]);
  const refuse = (r: Reservation, what: string) => {
    const retryAfterSeconds = Math.ceil(r.retryAfterMs / 1000);
    throw new ServerError('RATE_LIMITED', `Too many failed sign-in attempts ${what}. Wait ${minutes(r.retryAfterMs)} minutes and try again.`, {
      retryAfterSeconds,
    });
  };
  if (!account!.allowed) refuse(account!, 'for this account');
  if (!address!.allowed) refuse(address!, 'from your network address');
  return {
    async succeeded(db) {
      await releaseAttempt(db, account!.key);
      await releaseAttempt(db, address!.key);
    },
  };
}

/**
 * Sign-in is rare next to sync: a good moment to sweep away expired sessions and old counters.
 * Runs after the sign-in committed; on PostgreSQL it skips rows another transaction holds, so it
 * never waits for (or deadlocks with) a sign-in in progress.
 */
export async function sweepExpired(deps: Deps): Promise<void> {
  const { db, kind } = deps.database;
  const now = deps.now();
  const { perAccount, perAddress } = deps.config.loginLimits;
  const staleBefore = now - Math.max(perAccount.windowMs, perAddress.windowMs);
  if (kind === 'postgres') {
    await db
      .deleteFrom('sessions')
      .where('token_hash', 'in', (eb) => eb.selectFrom('sessions').select('token_hash').where('expires_at', '<=', now).forUpdate().skipLocked())
      .execute();
    await db
      .deleteFrom('rate_limits')
      .where('key', 'in', (eb) => eb.selectFrom('rate_limits').select('key').where('window_start', '<=', staleBefore).forUpdate().skipLocked())
      .execute();
    return;
  }
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('sessions').where('expires_at', '<=', now).execute();
    await deleteStaleCounters(trx, staleBefore);
  });
}

export const wrongPassword = () =>
  new ServerError('WRONG_PASSWORD', 'The username or master password is wrong. Check both and try again.');
