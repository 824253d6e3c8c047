// Link shares (issue 12). One row per link; the copy itself (sealed meta and payload), the
// verifier and the sealed server share are nulled, and its emails deleted, the moment the link
// ends; the row stays (for "My link shares") until purged 30 days later. Verifier, share, lookup
// tag and emails are kept under the link pepper, which is outside the database (server/links).
import type { Kysely, Migration } from 'kysely';

const migration: Migration = {
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
};

export default migration;
