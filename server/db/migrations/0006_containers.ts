// Containers (issue 14, /work/CONTAINERS-API.md): each user's vault becomes their personal
// container, whose id is the user's id and whose head is the user's old change sequence, so every
// record keeps its seq and every client cursor stays valid. Records are keyed by (container, id)
// and carry the key epoch they were sealed under (0 for personal). users.change_seq stays, now as
// the user's watermark: raised by every write to a container the user can read.
import { sql, type Kysely, type Migration } from 'kysely';
import { isSqlite, sqliteTableRebuild } from './common.ts';

const migration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('containers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('head_seq', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('key_epoch', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rotation_due', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('containers_owner').on('containers').column('owner_id').execute();

    if (isSqlite(db)) {
      // SQLite cannot point an existing column's foreign key at another table: rebuild the table.
      await sqliteTableRebuild(db, '0006', async () => {
        await addPersonalContainers(db);
        await db.schema
          .createTable('vault_records_rebuilt')
          .addColumn('container_id', 'text', (c) => c.notNull().references('containers.id').onDelete('cascade'))
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('seq', 'bigint', (c) => c.notNull())
          .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('key_epoch', 'integer', (c) => c.notNull().defaultTo(0))
          .addPrimaryKeyConstraint('vault_records_pk', ['container_id', 'id'])
          .execute();
        await sql`insert into vault_records_rebuilt (container_id, id, revision, seq, deleted, data, updated_at)
          select user_id, id, revision, seq, deleted, data, updated_at from vault_records`.execute(db);
        await sql`drop table vault_records`.execute(db);
        await sql`alter table vault_records_rebuilt rename to vault_records`.execute(db);
        await createSeqIndex(db);
      });
    } else {
      // PostgreSQL changes the table in place: renames, a new foreign key (checked, not rewritten)
      // and a column with a constant default (stored once in the catalogue, not in every row).
      await addPersonalContainers(db);
      await sql`alter table vault_records rename column user_id to container_id`.execute(db);
      await sql`alter table vault_records drop constraint vault_records_user_id_fkey`.execute(db);
      await sql`alter table vault_records add constraint vault_records_container_id_fkey
        foreign key (container_id) references containers (id) on delete cascade`.execute(db);
      await db.schema.alterTable('vault_records').addColumn('key_epoch', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      // The index followed the renamed column; only its name changes.
      await sql`alter index vault_records_user_seq rename to vault_records_container_seq`.execute(db);
    }
  },
  async down() {
    throw new Error('0006 cannot be undone: records of shares would have no user to go back to');
  },
};

/** One personal container per user, its head the user's change sequence so far. */
async function addPersonalContainers(db: Kysely<any>): Promise<void> {
  await sql`insert into containers (id, kind, owner_id, head_seq, key_epoch, rotation_due, created_at, updated_at)
    select id, 'personal', id, change_seq, 0, 0, created_at, updated_at from users`.execute(db);
}

/** A container's records in seq order: the pages of containerChanges (seq is unique per container). */
async function createSeqIndex(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('vault_records_container_seq').on('vault_records').columns(['container_id', 'seq']).unique().execute();
}

export default migration;
