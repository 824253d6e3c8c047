// Sessions are random 32-byte bearer tokens. The database keeps only their SHA-256, so a copy of it
// signs nobody in. A session ends at logout, at its absolute expiry, or when the password changes.
import { hash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './db/index.ts';
import { preparedQuery, whenReady, type MaybePromise } from './db/prepared.ts';
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

/**
 * A checked session and the account's head (users.change_seq) read in the same statement: the
 * idle sync poll needs nothing else (see vault.changes in server/routers/vault.ts).
 */
export interface SignedIn {
  session: SessionUser;
  head: number;
}

/** last_seen_at is refreshed at most this often, so reads do not turn into writes. */
const LAST_SEEN_GRANULARITY_MS = 5 * 60_000;

export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return hash('sha256', token, 'base64url');
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

// The account's change cursor comes along (one more primary-key lookup): the idle sync poll needs
// nothing else, so it is answered with this one statement (SignedIn.head).
const sessionByHash = preparedQuery(
  (db, tokenHash: string) =>
    db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.user_id', 'sessions.device_name', 'sessions.created_at', 'sessions.expires_at', 'sessions.last_seen_at', 'users.change_seq'])
      .where('sessions.token_hash', '=', tokenHash),
  ['sample-token-hash'],
);

type SessionRow = Awaited<ReturnType<typeof sessionByHash>>[number];

/** 'current', or what authenticate has to write before (or instead of) answering. */
function sessionStatus(row: SessionRow | undefined, now: number): 'missing' | 'expired' | 'stale' | 'current' {
  if (!row) return 'missing';
  if (row.expires_at <= now) return 'expired';
  if (now - row.last_seen_at >= LAST_SEEN_GRANULARITY_MS) return 'stale';
  return 'current';
}

const toSessionUser = (row: SessionRow, tokenHash: string): SessionUser => ({
  userId: row.user_id,
  tokenHash,
  deviceName: row.device_name,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

// One message for "expired" and "ended": the expired row is deleted on sight, so a second look
// (another process, a retried request) could only say "ended" anyway.
const sessionOver = () => new ServerError('UNAUTHENTICATED', 'Your session has expired or ended. Sign in again.');

/**
 * Runs `work` (which deletes sessions of userId) in a transaction that also tells the user's
 * live-update streams, in every process, to check their sessions: the notice commits with the
 * deletion, so a failure between the two cannot leave a signed-out stream listening.
 */
export async function endingSessions<T>(database: Database, userId: string, work: (trx: Transaction<Schema>) => Promise<T>): Promise<T> {
  const { db, feed } = database;
  const result = await db.transaction().execute(async (trx) => {
    const value = await work(trx);
    await feed.sessionsEndedInTransaction(trx, userId);
    return value;
  });
  feed.sessionsEndedCommitted(userId);
  return result;
}

/** The session a bearer token names, or UNAUTHENTICATED. Expired sessions are deleted on sight. */
export async function authenticate(deps: Deps, token: string | null): Promise<SignedIn> {
  if (!token) throw new ServerError('UNAUTHENTICATED', 'You are not signed in. Sign in to continue.');
  const { db } = deps.database;
  const tokenHash = hashToken(token);
  const row = (await sessionByHash(deps.database, tokenHash))[0];
  const now = deps.now();
  switch (sessionStatus(row, now)) {
    case 'missing':
      throw sessionOver();
    case 'expired':
      await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
      throw sessionOver();
    case 'stale':
      await db.updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
  }
  return { session: toSessionUser(row!, tokenHash), head: row!.change_seq };
}

/**
 * authenticate without its writes, for the hot read path: the session and the account's change
 * cursor (users.change_seq) when the session is current, read in one statement; null when there is
 * no token, or when authenticate has something to say or to write (no such session, expired, last
 * seen too long ago): the caller then goes through authenticate. Synchronous on SQLite.
 */
export function peekSession(deps: Deps, token: string | null): MaybePromise<SignedIn | null> {
  if (!token) return null;
  const tokenHash = hashToken(token);
  return whenReady(sessionByHash(deps.database, tokenHash), (rows) => {
    const row = rows[0];
    if (sessionStatus(row, deps.now()) !== 'current') return null;
    return { session: toSessionUser(row!, tokenHash), head: row!.change_seq };
  });
}
