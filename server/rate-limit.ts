// Counters kept in the database, so every server process on one database counts together. An
// attempt reserves a slot with one atomic upsert before the work it guards; a success may give the
// slot back. So 50 simultaneous guesses still get exactly `max` tries. Every row says when it may
// go (expires_at), and sweepRateLimits removes those on a schedule (server/sweeper.ts).
import { sql, type Kysely } from 'kysely';
import type { RateLimit } from './config.ts';
import type { Schema } from './db/schema.ts';
import { ServerError } from './errors.ts';

export interface Reservation {
  key: string;
  allowed: boolean;
  /** Attempts in the current window, this one included. */
  count: number;
  retryAfterMs: number;
}

export async function reserveAttempt(db: Kysely<Schema>, key: string, limit: RateLimit, now: number): Promise<Reservation> {
  const windowOpenedBefore = now - limit.windowMs;
  const reset = sql<boolean>`rate_limits.window_start <= ${windowOpenedBefore}`;
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: now, count: 1, expires_at: now + limit.windowMs })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        // Both dialects evaluate these against the row as it was before the update.
        count: sql<number>`case when ${reset} then 1 else rate_limits.count + 1 end`,
        window_start: sql<number>`case when ${reset} then ${now} else rate_limits.window_start end`,
        expires_at: sql<number>`case when ${reset} then ${now + limit.windowMs} else rate_limits.expires_at end`,
      }),
    )
    .returning(['count', 'window_start'])
    .executeTakeFirstOrThrow();
  return { key, allowed: row.count <= limit.max, count: row.count, retryAfterMs: Math.max(0, row.window_start + limit.windowMs - now) };
}

/** Give back a slot taken by an attempt that turned out to be legitimate. */
export async function releaseAttempt(db: Kysely<Schema>, key: string): Promise<void> {
  await db
    .updateTable('rate_limits')
    .set({ count: sql<number>`case when count > 0 then count - 1 else 0 end` })
    .where('key', '=', key)
    .execute();
}

/** A fact to keep until `until` (e.g. "this address signed in to this account"). */
export async function remember(db: Kysely<Schema>, key: string, now: number, until: number): Promise<void> {
  await db
    .insertInto('rate_limits')
    .values({ key, window_start: now, count: 1, expires_at: until })
    .onConflict((oc) => oc.column('key').doUpdateSet({ window_start: now, expires_at: until }))
    .execute();
}

export async function remembered(db: Kysely<Schema>, key: string, now: number): Promise<boolean> {
  const row = await db.selectFrom('rate_limits').select('key').where('key', '=', key).where('expires_at', '>', now).executeTakeFirst();
  return row !== undefined;
}

/** RATE_LIMITED, saying what to wait for (details.retryAfterSeconds). */
export function rateLimited(what: string, retryAfterMs: number): ServerError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const wait = retryAfterSeconds < 120 ? `${retryAfterSeconds} seconds` : `${Math.ceil(retryAfterSeconds / 60)} minutes`;
  return new ServerError('RATE_LIMITED', `${what} Wait ${wait} and try again.`, { retryAfterSeconds });
}
