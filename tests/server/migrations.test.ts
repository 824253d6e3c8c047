// Migrations on databases with accounts in them: 0003 rebuilds the users table on SQLite (to drop
// the unique email) and 0006 the records table (to key it by container), which must keep every
// account and record and everything that refers to one.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/index.ts';
import { migrateTo, migrateToLatest, RECORD_OVERHEAD_BYTES } from '../../server/db/migrations.ts';
import { hashToken } from '../../server/sessions.ts';
import { b64, caller, createTestDeps, DATABASE_URL, databaseName, isPostgres } from './helpers.ts';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

/** An empty database of this pass's kind (createTestDatabase would migrate it to the latest). */
async function emptyDatabase(): Promise<Database> {
  if (isPostgres) {
    const name = `lk_mig_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(DATABASE_URL!);
    url.pathname = `/${name}`;
    const database = openDatabase({ databaseUrl: url.toString(), dataDir: '' });
    cleanups.push(async () => {
      await database.close();
      const c = new pg.Client({ connectionString: DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    });
    return database;
  }
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-migrate-'));
  const database = openDatabase({ dataDir: dir });
  cleanups.push(async () => {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });
  return database;
}

describe(`migration 0003 on ${databaseName}`, () => {
  it('keeps accounts, sessions, records and snapshots, fills storage_used, and lets confirmed emails alone be unique', async () => {
    const database = await emptyDatabase();
    const db = database.db as unknown as import('kysely').Kysely<any>;
    await migrateTo(db, '0002_vault_snapshots');
    const user = (id: string, email: string) => ({
      id, username: id, email, auth_hash: 'h', auth_salt: 's', kdf_memory_kib: 65536, kdf_passes: 3, kdf_lanes: 4, kdf_salt: 'k',
      wrapped_user_key: 'w', box_public_key: 'b', signing_public_key: 'g', sealed_private_keys: 'p', change_seq: 2, created_at: 1, updated_at: 1,
    });
    await db.insertInto('users').values([user('old1', 'one@example.com'), user('old2', 'two@example.com')]).execute();
    await db.insertInto('sessions').values({ token_hash: 't1', user_id: 'old1', device_name: null, created_at: 1, expires_at: 2, last_seen_at: 1 }).execute();
    const data = b64(300);
    await db.insertInto('vault_records').values([
      { user_id: 'old1', id: 'record-one-xxxxxx', revision: 1, seq: 1, deleted: 0, data, updated_at: 1 },
      { user_id: 'old1', id: 'record-two-xxxxxx', revision: 1, seq: 2, deleted: 1, data: '', updated_at: 1 },
    ]).execute();
    await db.insertInto('vault_snapshots').values({ user_id: 'old1', data: 'snapshot', updated_at: 1 }).execute();
    await db.insertInto('rate_limits').values({ key: 'login-account:old1', window_start: 1000, count: 3 }).execute();

    await migrateToLatest(db);

    const users = await db.selectFrom('users').select(['id', 'email', 'email_confirmed', 'storage_used', 'change_seq']).orderBy('id').execute();
    expect(users).toEqual([
      { id: 'old1', email: 'one@example.com', email_confirmed: 0, storage_used: data.length + 2 * (17 + RECORD_OVERHEAD_BYTES) + 'snapshot'.length, change_seq: 2 },
      { id: 'old2', email: 'two@example.com', email_confirmed: 0, storage_used: 0, change_seq: 2 },
    ]);
    expect(await db.selectFrom('sessions').select('user_id').execute()).toEqual([{ user_id: 'old1' }]);
    expect(await db.selectFrom('vault_records').select('id').orderBy('id').execute()).toHaveLength(2);
    expect(await db.selectFrom('vault_snapshots').select('user_id').execute()).toEqual([{ user_id: 'old1' }]);
    expect(await db.selectFrom('rate_limits').select('expires_at').execute()).toEqual([{ expires_at: 1000 + 15 * 60_000 }]);

    // The same email twice is fine while unconfirmed; confirmed, only once.
    await db.insertInto('users').values(user('new3', 'one@example.com')).execute();
    await db.updateTable('users').set({ email_confirmed: 1 }).where('id', '=', 'old1').execute();
    await expect(db.updateTable('users').set({ email_confirmed: 1 }).where('id', '=', 'new3').execute()).rejects.toThrow();
    // Foreign keys still hold: deleting an account takes its rows with it.
    await db.deleteFrom('users').where('id', '=', 'old1').execute();
    expect(await db.selectFrom('sessions').select('user_id').execute()).toEqual([]);
    expect(await db.selectFrom('vault_records').select('id').execute()).toEqual([]);
  });
});

describe(`migration 0005 on ${databaseName}`, () => {
  it('adds people and messages to a database with accounts and links, keeping them', async () => {
    const database = await emptyDatabase();
    const db = database.db as unknown as import('kysely').Kysely<any>;
    await migrateTo(db, '0004_link_shares');
    await db
      .insertInto('users')
      .values({
        id: 'old1', username: 'old1', email: 'one@example.com', auth_hash: 'h', auth_salt: 's', kdf_memory_kib: 65536, kdf_passes: 3, kdf_lanes: 4, kdf_salt: 'k',
        wrapped_user_key: 'w', box_public_key: 'b', signing_public_key: 'g', sealed_private_keys: 'p', change_seq: 2, link_seq: 5, storage_used: 77, created_at: 1, updated_at: 1,
      })
      .execute();
    await migrateToLatest(db);
    expect(await db.selectFrom('users').select(['id', 'people_seq', 'link_seq', 'storage_used']).execute()).toEqual([{ id: 'old1', people_seq: 0, link_seq: 5, storage_used: 77 }]);
    for (const table of ['connections', 'invitations', 'messages']) expect(await db.selectFrom(table).selectAll().execute()).toEqual([]);
    // One pending invitation per inviter and invitee, and per inviter and address.
    const invitation = { from_user_id: 'old1', kind: 'messages', created_at: 1, expires_at: 2 };
    await db.insertInto('invitations').values({ ...invitation, id: 'i1', to_user_id: null, to_email: 'x@example.com' }).execute();
    await expect(db.insertInto('invitations').values({ ...invitation, id: 'i2', to_user_id: null, to_email: 'x@example.com' }).execute()).rejects.toThrow();
    // Deleting an account takes its invitations with it.
    await db.deleteFrom('users').where('id', '=', 'old1').execute();
    expect(await db.selectFrom('invitations').selectAll().execute()).toEqual([]);
  });
});

describe(`migration 0006 on ${databaseName}`, () => {
  it('makes each user’s vault their personal container without changing a record, and old cursors keep working', async () => {
    const database = await emptyDatabase();
    const db = database.db as unknown as import('kysely').Kysely<any>;
    await migrateTo(db, '0005_people_messages');
    const user = (id: string, changeSeq: number) => ({
      id, username: id, email: `${id}@example.com`, auth_hash: 'h', auth_salt: 's', kdf_memory_kib: 65536, kdf_passes: 3, kdf_lanes: 4, kdf_salt: 'k',
      wrapped_user_key: 'w', box_public_key: 'b', signing_public_key: 'g', sealed_private_keys: 'p', change_seq: changeSeq, created_at: 10, updated_at: 20,
    });
    await db.insertInto('users').values([user('old1-xxxxxxxxxxxxxxxx', 3), user('old2-xxxxxxxxxxxxxxxx', 1), user('old3-xxxxxxxxxxxxxxxx', 0)]).execute();
    const records = [
      { user_id: 'old1-xxxxxxxxxxxxxxxx', id: 'record-one-xxxxxx', revision: 2, seq: 3, deleted: 0, data: b64(300), updated_at: 5 },
      { user_id: 'old1-xxxxxxxxxxxxxxxx', id: 'record-two-xxxxxx', revision: 1, seq: 2, deleted: 1, data: '', updated_at: 4 },
      // The same record id in another vault stays another record.
      { user_id: 'old2-xxxxxxxxxxxxxxxx', id: 'record-one-xxxxxx', revision: 1, seq: 1, deleted: 0, data: b64(30), updated_at: 6 },
    ];
    await db.insertInto('vault_records').values(records).execute();

    await migrateToLatest(db);

    const migrated = await db.selectFrom('vault_records').selectAll().orderBy('container_id').orderBy('id').execute();
    expect(migrated).toEqual(records.map(({ user_id, ...r }) => ({ container_id: user_id, ...r, key_epoch: 0, author_id: null })));
    expect(await db.selectFrom('containers').selectAll().orderBy('id').execute()).toEqual([
      { id: 'old1-xxxxxxxxxxxxxxxx', kind: 'personal', owner_id: 'old1-xxxxxxxxxxxxxxxx', head_seq: 3, key_epoch: 0, rotation_due: 0, created_at: 10, updated_at: 20 },
      { id: 'old2-xxxxxxxxxxxxxxxx', kind: 'personal', owner_id: 'old2-xxxxxxxxxxxxxxxx', head_seq: 1, key_epoch: 0, rotation_due: 0, created_at: 10, updated_at: 20 },
      { id: 'old3-xxxxxxxxxxxxxxxx', kind: 'personal', owner_id: 'old3-xxxxxxxxxxxxxxxx', head_seq: 0, key_epoch: 0, rotation_due: 0, created_at: 10, updated_at: 20 },
    ]);
    expect(await db.selectFrom('users').select(['id', 'change_seq']).orderBy('id').execute()).toEqual([
      { id: 'old1-xxxxxxxxxxxxxxxx', change_seq: 3 },
      { id: 'old2-xxxxxxxxxxxxxxxx', change_seq: 1 },
      { id: 'old3-xxxxxxxxxxxxxxxx', change_seq: 0 },
    ]);

    // A client that had read old1's vault up to cursor 2 gets the one record after it, through the API.
    const deps = await createTestDeps(database);
    const token = b64(32);
    await db.insertInto('sessions').values({ token_hash: hashToken(token), user_id: 'old1-xxxxxxxxxxxxxxxx', device_name: null, created_at: Date.now(), expires_at: Date.now() + 3600_000, last_seen_at: Date.now() }).execute();
    const api = caller(deps, token);
    expect(await api.vault.changes({ cursor: 2 })).toEqual({
      cursor: 3,
      containers: [{ id: 'old1-xxxxxxxxxxxxxxxx', kind: 'personal', head: 3, epoch: 0, role: 'owner', accepted: true, rotationDue: false }],
    });
    const page = await api.vault.containerChanges({ container: 'old1-xxxxxxxxxxxxxxxx', cursor: 2 });
    expect(page).toMatchObject({ cursor: 3, more: false, records: [{ id: 'record-one-xxxxxx', revision: 2, keyEpoch: 0 }] });
    expect(await api.vault.changes({ cursor: 3 })).toEqual({ cursor: 3, containers: [] });
    // The next write continues the sequence, and raises the watermark with it.
    expect(await api.vault.put({ container: 'old1-xxxxxxxxxxxxxxxx', id: 'record-two-xxxxxx', baseRevision: 1, keyEpoch: 0, data: b64(20) })).toEqual({ revision: 2, cursor: 4 });
    expect((await api.account.me()).cursor).toBe(4);
    // Foreign keys hold: deleting an account takes its container and records with it.
    await db.deleteFrom('users').where('id', '=', 'old2-xxxxxxxxxxxxxxxx').execute();
    expect(await db.selectFrom('vault_records').select('container_id').distinct().execute()).toEqual([{ container_id: 'old1-xxxxxxxxxxxxxxxx' }]);
    expect(await db.selectFrom('containers').select('id').where('id', '=', 'old2-xxxxxxxxxxxxxxxx').execute()).toEqual([]);
    await deps.tasks.drain();
  });
});

describe(`migration 0007 on ${databaseName}`, () => {
  it('adds memberships, rosters and share keys, and an author to records, keeping every record; an account’s removal takes its memberships', async () => {
    const database = await emptyDatabase();
    const db = database.db as unknown as import('kysely').Kysely<any>;
    await migrateTo(db, '0006_containers');
    const user = (id: string) => ({
      id, username: id, email: `${id}@example.com`, auth_hash: 'h', auth_salt: 's', kdf_memory_kib: 65536, kdf_passes: 3, kdf_lanes: 4, kdf_salt: 'k',
      wrapped_user_key: 'w', box_public_key: 'b', signing_public_key: 'g', sealed_private_keys: 'p', change_seq: 1, created_at: 10, updated_at: 20,
    });
    await db.insertInto('users').values([user('u1-xxxxxxxxxxxxxxxx'), user('u2-xxxxxxxxxxxxxxxx')]).execute();
    await db.insertInto('containers').values({ id: 'u1-xxxxxxxxxxxxxxxx', kind: 'personal', owner_id: 'u1-xxxxxxxxxxxxxxxx', head_seq: 1, created_at: 10, updated_at: 20 }).execute();
    const record = { container_id: 'u1-xxxxxxxxxxxxxxxx', id: 'record-one-xxxxxx', revision: 1, seq: 1, deleted: 0, data: b64(30), updated_at: 5, key_epoch: 0 };
    await db.insertInto('vault_records').values(record).execute();
    await migrateToLatest(db);
    expect(await db.selectFrom('vault_records').selectAll().execute()).toEqual([{ ...record, author_id: null }]);
    const share = { id: 'share-xxxxxxxxxxxxxx', kind: 'share', owner_id: 'u1-xxxxxxxxxxxxxxxx', head_seq: 0, key_epoch: 1, rotation_due: 0, created_at: 1, updated_at: 1 };
    await db.insertInto('containers').values(share).execute();
    const member = (userId: string) => ({ container_id: share.id, user_id: userId, role: 'grant', granted_by: 'u1-xxxxxxxxxxxxxxxx', expires_at: null, accepted_at: 1, created_at: 1, updated_at: 1 });
    await db.insertInto('container_members').values([member('u1-xxxxxxxxxxxxxxxx'), member('u2-xxxxxxxxxxxxxxxx')]).execute();
    await expect(db.insertInto('container_members').values(member('u2-xxxxxxxxxxxxxxxx')).execute()).rejects.toThrow();
    await db.insertInto('share_rosters').values({ container_id: share.id, epoch: 1, roster: 'r', signer: 'u1-xxxxxxxxxxxxxxxx', created_at: 1 }).execute();
    await db.insertInto('share_keys').values({ container_id: share.id, epoch: 1, user_id: 'u2-xxxxxxxxxxxxxxxx', sealed_key: 's', grant: 'g', signer: 'u1-xxxxxxxxxxxxxxxx', created_at: 1 }).execute();
    await db.deleteFrom('users').where('id', '=', 'u2-xxxxxxxxxxxxxxxx').execute();
    expect(await db.selectFrom('container_members').select('user_id').execute()).toEqual([{ user_id: 'u1-xxxxxxxxxxxxxxxx' }]);
    expect(await db.selectFrom('share_keys').selectAll().execute()).toEqual([]);
    // The share goes with its creator's account, and its rosters with it.
    await db.deleteFrom('users').where('id', '=', 'u1-xxxxxxxxxxxxxxxx').execute();
    expect(await db.selectFrom('share_rosters').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('containers').selectAll().execute()).toEqual([]);
  });
});
