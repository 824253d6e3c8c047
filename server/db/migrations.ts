// Schema migrations, run by Kysely's Migrator at start-up. Append new migrations; never edit one
// that has shipped. The same code runs on SQLite and PostgreSQL.
import { randomBytes } from 'node:crypto';
import { Migrator, SqliteAdapter, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const migrations: Record<string, Migration> = {
  '0001_accounts_sessions_vault': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('server_secrets')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      // Keys the no-enumeration pre-login answers; one per database so every process agrees.
      await db
        .insertInto('server_secrets')
        .values({ name: 'prelogin', value: randomBytes(32).toString('base64url') })
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('email', 'text', (c) => c.notNull().unique())
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

      await db.schema
        .createTable('sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('device_name', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();
      await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();

      await db.schema
        .createTable('rate_limits')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('window_start', 'bigint', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('rate_limits_window_start').on('rate_limits').column('window_start').execute();

      await db.schema
        .createTable('vault_records')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('vault_records_pk', ['user_id', 'id'])
        .execute();
      await db.schema.createIndex('vault_records_user_seq').on('vault_records').columns(['user_id', 'seq']).unique().execute();
    },
    async down(db: Kysely<any>) {
      for (const table of ['vault_records', 'rate_limits', 'sessions', 'users', 'server_secrets']) {
        await db.schema.dropTable(table).execute();
      }
    },
  },
  // One sealed overview of the whole vault per user, so a new device can list it before every
  // record has arrived. Opaque to the server like the records.
  '0002_vault_snapshots': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('vault_snapshots')
        .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('vault_snapshots').execute();
    },
  },
  // Storage quotas (users.storage_used, kept up to date by every write), rate-limit rows that say
  // when they may go (rate_limits.expires_at, for the scheduled sweep), and emails that count only
  // once confirmed: users.email is no longer unique, a partial unique index covers confirmed ones.
  '0003_quota_limits_email_confirmation': {
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
  },
  // Link shares (issue 12). One row per link; the copy itself (sealed meta and payload), the
  // verifier and the sealed server share are nulled, and its emails deleted, the moment the link
  // ends; the row stays (for "My link shares") until purged 30 days later. Verifier, share, lookup
  // tag and emails are kept under the link pepper, which is outside the database (server/links).
  '0004_link_shares': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('users').addColumn('link_seq', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema
        .createTable('links')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('lookup_hash', 'text', (c) => c.notNull())
        .addColumn('verifier', 'text')
        .addColumn('sealed_share', 'text')
        .addColumn('meta', 'text')
        .addColumn('payload', 'text')
        .addColumn('protection', 'text', (c) => c.notNull())
        .addColumn('kdf_salt', 'text')
        .addColumn('kdf_memory_kib', 'integer')
        .addColumn('kdf_passes', 'integer')
        .addColumn('kdf_lanes', 'integer')
        .addColumn('max_uses', 'integer', (c) => c.notNull())
        .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('max_attempts', 'integer')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('restricted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('last_opened_at', 'bigint')
        .addColumn('ended_at', 'bigint')
        .execute();
      await db.schema.createIndex('links_user').on('links').columns(['user_id', 'created_at']).execute();
      await db.schema.createIndex('links_state_expires').on('links').columns(['state', 'expires_at']).execute();
      await db.schema.createIndex('links_ended_at').on('links').column('ended_at').execute();
      await db.schema
        .createTable('link_records')
        .addColumn('link_id', 'text', (c) => c.notNull().references('links.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('record_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('link_records_pk', ['link_id', 'record_id'])
        .execute();
      await db.schema.createIndex('link_records_user_record').on('link_records').columns(['user_id', 'record_id']).execute();
      await db.schema
        .createTable('link_emails')
        .addColumn('link_id', 'text', (c) => c.notNull().references('links.id').onDelete('cascade'))
        .addColumn('email_hash', 'text', (c) => c.notNull())
        .addColumn('code_hash', 'text')
        .addColumn('code_expires_at', 'bigint')
        .addColumn('code_tries', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('link_emails_pk', ['link_id', 'email_hash'])
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const table of ['link_emails', 'link_records', 'links']) await db.schema.dropTable(table).execute();
      await db.schema.alterTable('users').dropColumn('link_seq').execute();
    },
  },
  // People and messages (issue 13, server/PEOPLE-API.md). A connection is one row per pair (user_a
  // < user_b); invitations wait for a user or, by email, for the account that confirms the address;
  // messages are opaque sealed envelopes with a per-side deleted flag, charged to the sender's quota
  // (size) until both sides have deleted them. users.people_seq wakes the live stream.
  '0005_people_messages': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('users').addColumn('people_seq', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema
        .createTable('connections')
        .addColumn('user_a', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('user_b', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('sharing_requested_by', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('connections_pk', ['user_a', 'user_b'])
        .execute();
      await db.schema.createIndex('connections_user_b').on('connections').column('user_b').execute();
      await db.schema
        .createTable('invitations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('from_user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('to_user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
        .addColumn('to_email', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('invitations_from').on('invitations').columns(['from_user_id', 'created_at']).execute();
      await db.schema.createIndex('invitations_to_user').on('invitations').columns(['to_user_id', 'created_at']).execute();
      await db.schema.createIndex('invitations_to_email').on('invitations').column('to_email').execute();
      // One pending invitation per inviter and invitee (by id), and per inviter and address.
      await db.schema.createIndex('invitations_once_by_user').on('invitations').columns(['from_user_id', 'to_user_id']).unique().where(sql.ref('to_email'), 'is', null).execute();
      await db.schema.createIndex('invitations_once_by_email').on('invitations').columns(['from_user_id', 'to_email']).unique().where(sql.ref('to_email'), 'is not', null).execute();
      await db.schema.createIndex('invitations_expires_at').on('invitations').column('expires_at').execute();
      await db.schema
        .createTable('messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('sender_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('recipient_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('header', 'text')
        .addColumn('envelope', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('read_at', 'bigint')
        .addColumn('sender_deleted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('recipient_deleted', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // Inbox and Sent pages: newest first by (created_at, id), per side.
      await db.schema.createIndex('messages_inbox').on('messages').columns(['recipient_id', 'created_at', 'id']).execute();
      await db.schema.createIndex('messages_sent').on('messages').columns(['sender_id', 'created_at', 'id']).execute();
      // The badge: unread and not deleted, per recipient.
      await db.schema
        .createIndex('messages_unread')
        .on('messages')
        .column('recipient_id')
        .where(sql.ref('read_at'), 'is', null)
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const table of ['messages', 'invitations', 'connections']) await db.schema.dropTable(table).execute();
      await db.schema.alterTable('users').dropColumn('people_seq').execute();
    },
  },
};

/** What a record costs beyond its ciphertext and id (row, index entries); see vault-store.ts. */
export const RECORD_OVERHEAD_BYTES = 64;

function isSqlite(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/**
 * SQLite cannot drop a UNIQUE column constraint: copy users into a new table without it (SQLite's
 * documented 12-step change), with foreign keys off so the tables referring to users keep their rows.
 * Kysely does not wrap SQLite migrations in a transaction, so this one opens its own.
 */
async function rebuildSqliteUsersWithoutUniqueEmail(db: Kysely<any>): Promise<void> {
  const columns = [
    'id', 'username', 'email', 'auth_hash', 'auth_salt', 'kdf_memory_kib', 'kdf_passes', 'kdf_lanes', 'kdf_salt',
    'wrapped_user_key', 'box_public_key', 'signing_public_key', 'sealed_private_keys', 'change_seq', 'created_at', 'updated_at',
  ];
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin immediate`.execute(db);
    try {
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
      const broken = await sql`pragma foreign_key_check`.execute(db);
      if (broken.rows.length > 0) throw new Error('0003: foreign keys broken by the users rebuild');
      await sql`commit`.execute(db);
    } catch (e) {
      await sql`rollback`.execute(db).catch(() => {});
      throw e;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Bring the database to the named migration (tests of a migration start from the one before). */
export async function migrateTo(db: Kysely<any>, name: string): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

/** Bring the database to the latest schema. Safe to call from several processes at once on PostgreSQL. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
