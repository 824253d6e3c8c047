// Storage quotas (users.storage_used, kept up to date by every write), rate-limit rows that say
// when they may go (rate_limits.expires_at, for the scheduled sweep), and emails that count only
// once confirmed: users.email is no longer unique, a partial unique index covers confirmed ones.
import { sql, type Kysely, type Migration } from 'kysely';
import { isSqlite, RECORD_OVERHEAD_BYTES, sqliteTableRebuild } from './common.ts';

const migration: Migration = {
  async up(db: Kysely<any>) {
    if (isSqlite(db)) await rebuildSqliteUsersWithoutUniqueEmail(db);
    else await sql`alter table users drop constraint users_email_key`.execute(db);
    await db.schema.alterTable('users').addColumn('email_confirmed', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('users').addColumn('email_code_hash', 'text').execute();
    await db.schema.alterTable('users').addColumn('email_code_expires_at', 'bigint').execute();
    await db.schema.alterTable('users').addColumn('storage_used', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.createIndex('users_confirmed_email').on('users').column('email').unique().where(sql.ref('email_confirmed'), '=', 1).execute();
    await sql`update users set storage_used =
      coalesce((select sum(length(data) + length(id) + ${sql.lit(RECORD_OVERHEAD_BYTES)}) from vault_records where vault_records.user_id = users.id), 0) +
      coalesce((select length(data) from vault_snapshots where vault_snapshots.user_id = users.id), 0)`.execute(db);

    await db.schema.alterTable('rate_limits').addColumn('expires_at', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
    // Every counter before this one had a 15-minute window.
    await sql`update rate_limits set expires_at = window_start + ${sql.lit(15 * 60_000)}`.execute(db);
    await db.schema.createIndex('rate_limits_expires_at').on('rate_limits').column('expires_at').execute();
  },
  async down() {
    throw new Error('0003 cannot be undone: confirmed emails would no longer fit a unique column');
  },
};

/**
 * SQLite cannot drop a UNIQUE column constraint: copy users into a new table without it (SQLite's
 * documented 12-step change), with foreign keys off so the tables referring to users keep their rows.
 */
async function rebuildSqliteUsersWithoutUniqueEmail(db: Kysely<any>): Promise<void> {
  const columns = [
    'id', 'username', 'email', 'auth_hash', 'auth_salt', 'kdf_memory_kib', 'kdf_passes', 'kdf_lanes', 'kdf_salt',
    'wrapped_user_key', 'box_public_key', 'signing_public_key', 'sealed_private_keys', 'change_seq', 'created_at', 'updated_at',
  ];
  await sqliteTableRebuild(db, '0003', async () => {
    await db.schema
      .createTable('users_rebuilt')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('auth_hash', 'text', (c) => c.notNull())
      .addColumn('auth_salt', 'text', (c) => c.notNull())
      .addColumn('kdf_memory_kib', 'integer', (c) => c.notNull())
      .addColumn('kdf_passes', 'integer', (c) => c.notNull())
      .addColumn('kdf_lanes', 'integer', (c) => c.notNull())
      .addColumn('kdf_salt', 'text', (c) => c.notNull())
      .addColumn('wrapped_user_key', 'text', (c) => c.notNull())
      .addColumn('box_public_key', 'text', (c) => c.notNull())
      .addColumn('signing_public_key', 'text', (c) => c.notNull())
      .addColumn('sealed_private_keys', 'text', (c) => c.notNull())
      .addColumn('change_seq', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    const list = sql.join(columns.map((c) => sql.ref(c)));
    await sql`insert into users_rebuilt (${list}) select ${list} from users`.execute(db);
    await sql`drop table users`.execute(db);
    await sql`alter table users_rebuilt rename to users`.execute(db);
  });
}

export default migration;
