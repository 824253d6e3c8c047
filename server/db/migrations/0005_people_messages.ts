// People and messages (issue 13, server/PEOPLE-API.md). A connection is one row per pair (user_a
// < user_b); invitations wait for a user or, by email, for the account that confirms the address;
// messages are opaque sealed envelopes with a per-side deleted flag, charged to the sender's quota
// (size) until both sides have deleted them. users.people_seq wakes the live stream.
import { sql, type Kysely, type Migration } from 'kysely';

const migration: Migration = {
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
};

export default migration;
