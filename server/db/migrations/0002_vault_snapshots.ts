// One sealed overview of the whole vault per user, so a new device can list it before every
// record has arrived. Opaque to the server like the records.
import type { Kysely, Migration } from 'kysely';

const migration: Migration = {
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
};

export default migration;
