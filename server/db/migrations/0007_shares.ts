// Shares (issue 14 step 2, server/SHARES-API.md): who is a member of a share with which role (the
// table every check and the directory read), the signed roster of every key epoch, and each
// member's sealed share key per epoch. All three are opaque to the server beyond their key columns.
// vault_records.author_id names the user whose session wrote a record (set by the server).
import type { Kysely, Migration } from 'kysely';

const migration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('container_members')
      .addColumn('container_id', 'text', (c) => c.notNull().references('containers.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('granted_by', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .addColumn('accepted_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('container_members_pk', ['container_id', 'user_id'])
      .execute();
    await db.schema.createIndex('container_members_user').on('container_members').column('user_id').execute();
    // The sweeper finds memberships past their end date without reading the others.
    await db.schema.createIndex('container_members_expires').on('container_members').column('expires_at').execute();
    await db.schema
      .createTable('share_rosters')
      .addColumn('container_id', 'text', (c) => c.notNull().references('containers.id').onDelete('cascade'))
      .addColumn('epoch', 'integer', (c) => c.notNull())
      .addColumn('roster', 'text', (c) => c.notNull())
      .addColumn('signer', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('share_rosters_pk', ['container_id', 'epoch'])
      .execute();
    await db.schema
      .createTable('share_keys')
      .addColumn('container_id', 'text', (c) => c.notNull().references('containers.id').onDelete('cascade'))
      .addColumn('epoch', 'integer', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('sealed_key', 'text', (c) => c.notNull())
      .addColumn('grant', 'text', (c) => c.notNull())
      .addColumn('signer', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('share_keys_pk', ['container_id', 'epoch', 'user_id'])
      .execute();
    await db.schema.createIndex('share_keys_user').on('share_keys').column('user_id').execute();
    await db.schema.alterTable('vault_records').addColumn('author_id', 'text').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('vault_records').dropColumn('author_id').execute();
    for (const table of ['share_keys', 'share_rosters', 'container_members']) await db.schema.dropTable(table).execute();
  },
};

export default migration;
