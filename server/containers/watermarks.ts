// The users side of a container change: lock the affected users' rows (after the container rows,
// in ascending id order: the one lock order), raise each one's watermark so their idle poll sees
// the change, apply storage changes, and ring each one's feed doorbell in the same transaction.
import type { Transaction } from 'kysely';
import type { Database } from '../db/index.ts';
import type { Schema } from '../db/schema.ts';

export interface LockedUser {
  id: string;
  change_seq: number;
  storage_used: number;
}

/** The watermark and storage of each user, their rows locked in ascending id order. */
export async function lockUsers(database: Database, trx: Transaction<Schema>, userIds: Iterable<string>): Promise<Map<string, LockedUser>> {
  const ids = [...new Set(userIds)].sort();
  if (ids.length === 0) return new Map();
  const query = trx.selectFrom('users').select(['id', 'change_seq', 'storage_used']).where('id', 'in', ids).orderBy('id');
  // SQLite holds the database's write lock already (lockContainer).
  const rows = await (database.kind === 'postgres' ? query.forUpdate() : query).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Raises the watermark of every locked user by `by` (and their storage by `storage`'s entry),
 * publishing each on their feed topic inside the transaction. Returns the new watermarks, for
 * `announce` after the commit.
 */
export async function raiseWatermarks(
  database: Database,
  trx: Transaction<Schema>,
  users: Map<string, LockedUser>,
  by = 1,
  storage: Map<string, number> = new Map(),
): Promise<Map<string, number>> {
  const watermarks = new Map<string, number>();
  for (const [id, user] of users) {
    const watermark = user.change_seq + by;
    const growth = storage.get(id);
    const storageUsed = growth ? { storage_used: Math.max(0, user.storage_used + growth) } : {};
    await trx.updateTable('users').set({ change_seq: watermark, ...storageUsed }).where('id', '=', id).execute();
    watermarks.set(id, watermark);
  }
  for (const [id, watermark] of watermarks) await database.feed.publishInTransaction(trx, id, watermark);
  return watermarks;
}

/** After the commit: the in-process feed tells its streams (PostgreSQL's NOTIFY went with the commit). */
export function announce(database: Database, watermarks: Map<string, number>): void {
  for (const [id, watermark] of watermarks) database.feed.committed(id, watermark);
}

/** lockUsers then raiseWatermarks, for a change that moves nobody's storage. */
export async function touchUsers(database: Database, trx: Transaction<Schema>, userIds: Iterable<string>, storage?: Map<string, number>): Promise<Map<string, number>> {
  return raiseWatermarks(database, trx, await lockUsers(database, trx, userIds), 1, storage);
}
