// What several migrations share.
import { SqliteAdapter, sql, type Kysely } from 'kysely';

/** What a record costs beyond its ciphertext and id (row, index entries); see server/vault/writes.ts. */
export const RECORD_OVERHEAD_BYTES = 64;

export function isSqlite(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/**
 * Runs `work` in a transaction of its own with foreign keys off, as SQLite's documented 12-step
 * table change asks (Kysely does not wrap SQLite migrations in a transaction), and checks before
 * committing that every foreign key still holds.
 */
export async function sqliteTableRebuild(db: Kysely<any>, what: string, work: () => Promise<void>): Promise<void> {
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin immediate`.execute(db);
    try {
      await work();
      const broken = await sql`pragma foreign_key_check`.execute(db);
      if (broken.rows.length > 0) throw new Error(`${what}: foreign keys broken by the rebuild`);
      await sql`commit`.execute(db);
    } catch (e) {
      await sql`rollback`.execute(db).catch(() => {});
      throw e;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
