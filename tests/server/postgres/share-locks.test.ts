// A revoke and a write never interleave (issue 14): a write to a share checks the member's access
// inside its transaction, after taking the container's row lock, so a write that waits behind a
// revoke holding that lock sees the revoke. PostgreSQL only: there writes to different rows run
// side by side and the row lock is what orders them (SQLite runs one write transaction at a time,
// so a check inside the transaction is ordered by construction), and only there can the test see
// that the write is waiting (pg_stat_activity) before letting the revoke commit.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockContainer } from '../../../server/containers/access.ts';
import type { Deps } from '../../../server/deps.ts';
import { createTestDatabase, createTestDeps, eventually, isPostgres, type TestDatabase } from '../helpers.ts';
import { confirmedUser, type User } from '../people-fixtures.ts';
import { refusal } from '../refusal.ts';
import { connectAll, makeShare, putRecord } from '../share-fixtures.ts';

if (!isPostgres) throw new Error('tests/server/postgres/ needs DATABASE_URL=postgres://… (node scripts/test-server.mjs --db postgres)');

let tdb: TestDatabase;
let deps: Deps;
let owner: User;
let bob: User;

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = await createTestDeps(tdb.database);
  owner = await confirmedUser(deps, 'owner');
  bob = await confirmedUser(deps, 'bob');
  await connectAll([owner, bob]);
});
afterAll(async () => {
  await tdb.drop();
});

/** Backends of this database waiting for a lock (the write queued behind the revoke). */
async function waitingForLock(): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(tdb.database.db);
  return rows[0]!.n;
}

describe('shares and row locks (PostgreSQL)', () => {
  it('a write waiting behind a revoke is refused once the revoke commits', async () => {
    const container = await makeShare(owner, [[bob, 'write']]);
    await putRecord(bob, container, 1);
    const revoker = tdb.reopen();
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    // What a revoke does, held open: the container's lock first, then the membership goes.
    const revoke = revoker.db.transaction().execute(async (trx) => {
      await lockContainer(revoker, trx, container);
      locked();
      await released;
      await trx.deleteFrom('container_members').where('container_id', '=', container).where('user_id', '=', bob.userId).execute();
    });
    await isLocked;
    const write = refusal(putRecord(bob, container, 1));
    await eventually(async () => (await waitingForLock()) > 0, 5000);
    release();
    await revoke;
    expect((await write).code).toBe('NOT_FOUND');
    const rows = await tdb.database.db.selectFrom('vault_records').select('id').where('container_id', '=', container).execute();
    expect(rows).toHaveLength(1);
  });

  it('positive control: the same write waiting behind a lock that revokes nothing goes through', async () => {
    const container = await makeShare(owner, [[bob, 'write']]);
    const other = tdb.reopen();
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const held = other.db.transaction().execute(async (trx) => {
      await lockContainer(other, trx, container);
      locked();
      await released;
    });
    await isLocked;
    const write = putRecord(bob, container, 1);
    await eventually(async () => (await waitingForLock()) > 0, 5000);
    release();
    await held;
    expect((await write).revision).toBe(1);
  });
});
