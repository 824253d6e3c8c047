// Sessions are random 32-byte bearer tokens. The database keeps only their SHA-256, so a copy of it
// signs nobody in. A session ends at logout, at its absolute expiry, or when the password changes.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { preparedQuery } from './db/prepared.ts';
import type { Schema } from './db/schema.ts';
import type { Deps } from './deps.ts';
import { ServerError } from './errors.ts';

export interface SessionUser {
  userId: string;
  tokenHash: string;
  deviceName: string | null;
  createdAt: number;
  expiresAt: number;
}

/** last_seen_at is refreshed at most this often, so reads do not turn into writes. */
const LAST_SEEN_GRANULARITY_MS = 5 * 60_000;

export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export async function createSession(
  db: Kysely<Schema>,
  deps: Deps,
  userId: string,
  deviceName: string | null,
): Promise<{ token: string; expiresAt: number }> {
  const token = randomBytes(32).toString('base64url');
  const now = deps.now();
  const expiresAt = now + deps.config.sessionTtlMs;
  await db
    .insertInto('sessions')
    .values({ token_hash: hashToken(token), user_id: userId, device_name: deviceName, created_at: now, expires_at: expiresAt, last_seen_at: now })
    .execute();
  return { token, expiresAt };
}

const sessionByHash = preparedQuery(
  (db, tokenHash: string) =>
    db.selectFrom('sessions').select(['user_id', 'device_name', 'created_at', 'expires_at', 'last_seen_at']).where('token_hash', '=', tokenHash),
  ['sample-token-hash'],
);

// One message for "expired" and "ended": the expired row is deleted on sight, so a second look
// (another process, a retried request) could only say "ended" anyway.
const sessionOver = () => new ServerError('UNAUTHENTICATED', 'Your session has expired or ended. Sign in again.');

/** The session a bearer token names, or UNAUTHENTICATED. Expired sessions are deleted on sight. */
export async function authenticate(deps: Deps, token: string | null): Promise<SessionUser> {
  if (!token) throw new ServerError('UNAUTHENTICATED', 'You are not signed in. Sign in to continue.');
  const { db } = deps.database;
  const tokenHash = hashToken(token);
  const row = (await sessionByHash(deps.database, tokenHash))[0];
  if (!row) throw sessionOver();
  const now = deps.now();
  if (row.expires_at <= now) {
    await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    throw sessionOver();
  }
  if (now - row.last_seen_at >= LAST_SEEN_GRANULARITY_MS) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
  }
  return { userId: row.user_id, tokenHash, deviceName: row.device_name, createdAt: row.created_at, expiresAt: row.expires_at };
}
