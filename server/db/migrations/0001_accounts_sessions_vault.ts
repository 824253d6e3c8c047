// The first schema: accounts, sessions, rate limits and the personal vault's records (then per user).
import { randomBytes } from 'node:crypto';
import type { Kysely, Migration } from 'kysely';

const migration: Migration = {
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
};

export default migration;
