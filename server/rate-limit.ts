// Failure counters kept in the database, so every server process on one database counts together.
// An attempt reserves a slot with one atomic upsert before the password is checked; a success gives
// the slot back. So 50 simultaneous guesses still get exactly `max` tries.
import { sql, type Kysely } from 'kysely';
import type { RateLimit } from './config.ts';
import type { Schema } from './db/schema.ts';

export interface Reservation {
  key: string;
  allowed: boolean;
  retryAfterMs: number;
}

export async function reserveAttempt(db: Kysely<Schema>, key: string, limit: RateLimit, now: number): Promise<Reservation> {
  const windowOpenedBefore = now - limit.windowMs;
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: now, count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        // Both dialects evaluate these against the row as it was before the update.
        count: sql<number>`case when rate_limits.window_start <= ${windowOpenedBefore} then 1 else rate_limits.count + 1 end`,
        window_start: sql<number>`case when rate_limits.window_start <= ${windowOpenedBefore} then ${now} else rate_limits.window_start end`,
      }),
    )
    .returning(['count', 'window_start'])
    .executeTakeFirstOrThrow();
  return { key, allowed: row.count <= limit.max, retryAfterMs: Math.max(0, row.window_start + limit.windowMs - now) };
}

/** Give back a slot taken by an attempt that turned out to be legitimate. */
export async function releaseAttempt(db: Kysely<Schema>, key: string): Promise<void> {
  await db
    .updateTable('rate_limits')
    .set({ count: sql<number>`case when count > 0 then count - 1 else 0 end` })
    .where('key', '=', key)
    .execute();
}

export async function deleteStaleCounters(db: Kysely<Schema>, windowOpenedBefore: number): Promise<void> {
  await db.deleteFrom('rate_limits').where('window_start', '<=', windowOpenedBefore).execute();
}
