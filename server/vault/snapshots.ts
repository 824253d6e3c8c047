// The sealed overview of a user's personal vault (one per user, replaced as a whole). It stays per
// user: it is the personal overview, not a container's.
import { sql } from 'kysely';
import type { Database } from '../db/index.ts';
import { requireRoom } from './quota.ts';

export interface VaultSnapshot {
  data: string;
  updatedAt: number;
}

export async function getSnapshot(database: Database, userId: string): Promise<VaultSnapshot | null> {
  const row = await database.db.selectFrom('vault_snapshots').select(['data', 'updated_at']).where('user_id', '=', userId).executeTakeFirst();
  return row ? { data: row.data, updatedAt: Number(row.updated_at) } : null;
}

/** Replaces the user's snapshot as a whole; the newest upload wins. It counts toward the quota. */
export async function putSnapshot(database: Database, userId: string, data: string, now: number, quotaBytes: number): Promise<{ updatedAt: number }> {
  await database.db.transaction().execute(async (trx) => {
    // The user's row is locked (no container row: the lock order holds), so two uploads cannot
    // both fit in the quota's last megabyte.
    const account =
      database.kind === 'postgres'
        ? await trx.selectFrom('users').select('storage_used').where('id', '=', userId).forUpdate().executeTakeFirstOrThrow()
        : // SQLite: an update takes the database's write lock at once (a read would take it only later).
          await trx.updateTable('users').set({ storage_used: sql<number>`storage_used` }).where('id', '=', userId).returning('storage_used').executeTakeFirstOrThrow();
    const old = await trx
      .selectFrom('vault_snapshots')
      .select(sql<number>`length(data)`.as('size'))
      .where('user_id', '=', userId)
      .executeTakeFirst();
    const growth = data.length - (old?.size ?? 0);
    requireRoom(account.storage_used, growth, quotaBytes);
    await trx
      .insertInto('vault_snapshots')
      .values({ user_id: userId, data, updated_at: now })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ data, updated_at: now }))
      .execute();
    await trx.updateTable('users').set({ storage_used: account.storage_used + growth }).where('id', '=', userId).execute();
  });
  return { updatedAt: now };
}
