// Ending access to a share (issue 14 step 2): rotate (a new epoch, members exactly those given keys,
// old-epoch writes refused), leave / decline / removeMember (rotation due: writes refused until a
// rotation; the last member out deletes the share and frees its storage), end dates (no access from
// then on; the sweeper removes the row), and people.stopSharing / people.remove ending every share
// between two people, both ways. Runs on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/deps.ts';
import { sweepExpired } from '../../server/sweeper.ts';
import { b64, createClock, createTestDatabase, createTestDeps, databaseName, snapshot, type TestDatabase } from './helpers.ts';
import { confirmedUser, type User } from './people-fixtures.ts';
import { refusal } from './refusal.ts';
import { connectAll, key, makeShare, putRecord, roster, storageUsed, watermark } from './share-fixtures.ts';

let tdb: TestDatabase;
let deps: Deps;
const clock = createClock();
let owner: User;
let bob: User;
let carol: User;
let dave: User;

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = await createTestDeps(tdb.database, { clock });
  owner = await confirmedUser(deps, 'owner');
  bob = await confirmedUser(deps, 'bob');
  carol = await confirmedUser(deps, 'carol');
  dave = await confirmedUser(deps, 'dave');
  await connectAll([owner, bob, carol, dave]);
});
afterAll(async () => {
  await tdb.drop();
});

const headOf = async (u: User, container: string) => (await u.api.vault.changes({ cursor: 0 })).containers.find((c) => c.id === container);
const write = (u: User, container: string, epoch: number) => u.api.vault.put({ container, id: b64(16), baseRevision: 0, keyEpoch: epoch, data: b64(30) });

describe(`shares.rotate on ${databaseName}`, () => {
  it('starts the next epoch with exactly the members given keys; old-epoch writes are refused', async () => {
    const container = await makeShare(owner, [[bob, 'write'], [carol, 'read']]);
    const { id } = await putRecord(bob, container, 1);
    const carolMark = await watermark(tdb.database, carol.userId);
    const newRoster = roster();
    expect(await owner.api.shares.rotate({ container, fromEpoch: 1, roster: newRoster, keys: [key(owner, 'grant'), key(bob, 'write'), key(dave, 'read')] })).toEqual({ epoch: 2 });
    // Carol is out: her directory moved and no longer names the share, and its records are closed to her.
    expect(await watermark(tdb.database, carol.userId)).toBeGreaterThan(carolMark);
    expect(await headOf(carol, container)).toBeUndefined();
    expect((await refusal(carol.api.vault.containerChanges({ container, cursor: 0 }))).code).toBe('NOT_FOUND');
    expect((await refusal(carol.api.shares.get({ container }))).code).toBe('NOT_FOUND');
    expect(await headOf(bob, container)).toMatchObject({ epoch: 2, accepted: true });
    expect(await headOf(dave, container)).toMatchObject({ epoch: 2, accepted: false });
    const view = await bob.api.shares.get({ container });
    expect(view.rosters.map((r) => r.epoch)).toEqual([1, 2]);
    expect(view.rosters[1]!.roster).toBe(newRoster);
    expect(view.myKeys.map((k) => k.epoch)).toEqual([1, 2]);
    // The rotating device rewrites the old records under epoch 2; epoch 1 is refused from now on.
    expect(await refusal(bob.api.vault.put({ container, id, baseRevision: 1, keyEpoch: 1, data: b64(30) }))).toMatchObject({ code: 'CONFLICT', details: { reason: 'stale-epoch', epoch: 2 } });
    expect((await owner.api.vault.putMany({ container, records: [{ id, baseRevision: 1, keyEpoch: 2, data: b64(30) }] })).results[0]).toMatchObject({ status: 'ok', revision: 2 });
    // A second rotation from the old epoch is stale.
    const before = await snapshot(tdb.database);
    expect(await refusal(owner.api.shares.rotate({ container, fromEpoch: 1, roster: roster(), keys: [key(owner, 'grant')] }))).toMatchObject({ code: 'CONFLICT', details: { reason: 'stale-epoch', epoch: 2 } });
    expect((await refusal(owner.api.shares.rotate({ container, fromEpoch: 2, roster: roster(), keys: [key(bob, 'write')] }))).code).toBe('BAD_INPUT');
    expect(await snapshot(tdb.database)).toEqual(before);
  });
});

describe(`leaving a share on ${databaseName}`, () => {
  it('leave: rotation due refuses writes (reads go on) until a grant holder rotates', async () => {
    const container = await makeShare(owner, [[bob, 'write'], [carol, 'write']]);
    await putRecord(bob, container, 1);
    expect(await carol.api.shares.leave({ container })).toEqual({});
    expect(await headOf(carol, container)).toBeUndefined();
    expect(await headOf(bob, container)).toMatchObject({ rotationDue: true });
    const before = await snapshot(tdb.database);
    expect(await refusal(write(bob, container, 1))).toMatchObject({ code: 'CONFLICT', details: { reason: 'rotation-due' } });
    expect(await refusal(bob.api.shares.grant({ container, epoch: 1, keys: [key(dave, 'read')] }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal(owner.api.shares.grant({ container, epoch: 1, keys: [key(dave, 'read')] }))).toMatchObject({ code: 'CONFLICT', details: { reason: 'rotation-due' } });
    expect(await snapshot(tdb.database)).toEqual(before);
    expect((await bob.api.vault.containerChanges({ container, cursor: 0 })).records).toHaveLength(1);
    await owner.api.shares.rotate({ container, fromEpoch: 1, roster: roster(), keys: [key(owner, 'grant'), key(bob, 'write')] });
    expect(await headOf(bob, container)).toMatchObject({ rotationDue: false, epoch: 2 });
    await write(bob, container, 2);
  });

  it('decline and removeMember end a membership the same way', async () => {
    const container = await makeShare(owner, [[bob, 'read'], [carol, 'write']], { offered: true });
    await carol.api.shares.accept({ container });
    expect(await bob.api.shares.decline({ container })).toEqual({});
    expect(await headOf(bob, container)).toBeUndefined();
    expect(await headOf(owner, container)).toMatchObject({ rotationDue: true });
    const carolMark = await watermark(tdb.database, carol.userId);
    expect(await owner.api.shares.removeMember({ container, userId: carol.userId })).toEqual({});
    expect(await watermark(tdb.database, carol.userId)).toBeGreaterThan(carolMark);
    expect((await refusal(carol.api.vault.containerChanges({ container, cursor: 0 }))).code).toBe('NOT_FOUND');
    expect((await owner.api.shares.get({ container })).members.map((m) => m.userId)).toEqual([owner.userId]);
  });

  it('the last member out deletes the share with its records and gives its creator the room back', async () => {
    const used = await storageUsed(tdb.database, owner.userId);
    const container = await makeShare(owner, [[bob, 'write']]);
    await putRecord(bob, container, 1);
    await putRecord(owner, container, 1);
    expect(await storageUsed(tdb.database, owner.userId)).toBeGreaterThan(used);
    await owner.api.shares.leave({ container });
    await bob.api.shares.leave({ container });
    expect(await storageUsed(tdb.database, owner.userId)).toBe(used);
    const { db } = tdb.database;
    expect(await db.selectFrom('containers').select('id').where('id', '=', container).execute()).toEqual([]);
    expect(await db.selectFrom('vault_records').select('id').where('container_id', '=', container).execute()).toEqual([]);
    expect(await db.selectFrom('share_keys').select('user_id').where('container_id', '=', container).execute()).toEqual([]);
    expect((await refusal(bob.api.shares.get({ container }))).code).toBe('NOT_FOUND');
  });
});

describe(`end dates on ${databaseName}`, () => {
  it('give no access from the end date on; the sweeper removes the membership and marks rotation due', async () => {
    const container = await makeShare(owner, [[bob, 'write']]);
    await owner.api.shares.grant({ container, epoch: 1, keys: [key(carol, 'read', clock.now() + 60_000)] });
    await carol.api.shares.accept({ container });
    expect((await carol.api.vault.containerChanges({ container, cursor: 0 })).records).toEqual([]);
    clock.advance(60_001);
    expect((await refusal(carol.api.vault.containerChanges({ container, cursor: 0 }))).code).toBe('NOT_FOUND');
    expect((await refusal(carol.api.shares.get({ container }))).code).toBe('NOT_FOUND');
    expect(await headOf(carol, container)).toBeUndefined();
    const bobMark = await watermark(tdb.database, bob.userId);
    await sweepExpired(deps);
    expect(await watermark(tdb.database, bob.userId)).toBeGreaterThan(bobMark);
    expect(await headOf(bob, container)).toMatchObject({ rotationDue: true });
    const rows = await tdb.database.db.selectFrom('container_members').select('user_id').where('container_id', '=', container).orderBy('user_id').execute();
    expect(rows.map((r) => r.user_id).sort()).toEqual([owner.userId, bob.userId].sort());
  });
});

describe(`people.stopSharing and people.remove on ${databaseName}`, () => {
  it('stopSharing ends every share between the two, both ways, in one go', async () => {
    // Two people with no shares between them yet.
    const ann = await confirmedUser(deps, 'ann');
    const ben = await confirmedUser(deps, 'ben');
    await connectAll([ann, ben, carol]);
    const mine = await makeShare(ann, [[ben, 'write'], [carol, 'read']]);
    const theirs = await makeShare(ben, [[ann, 'read'], [carol, 'read']]);
    const annAlone = await makeShare(ann, [[carol, 'read']]);
    const { sharesEnded, connection } = await ann.api.people.stopSharing({ userId: ben.userId });
    expect(sharesEnded).toBe(2);
    expect(connection.kind).toBe('messages');
    // In ann's share (she has grant) ben was removed; in ben's share ann (read) left.
    expect(await headOf(ben, mine)).toBeUndefined();
    expect(await headOf(ann, theirs)).toBeUndefined();
    expect(await headOf(ann, mine)).toMatchObject({ rotationDue: true });
    expect(await headOf(ben, theirs)).toMatchObject({ rotationDue: true });
    expect(await headOf(carol, annAlone)).toMatchObject({ rotationDue: false });
    expect(await ann.api.people.stopSharing({ userId: ben.userId })).toMatchObject({ sharesEnded: 0 });
  });

  it('remove (from the side without grant) leaves the other’s shares', async () => {
    const davesShare = await makeShare(dave, [[carol, 'write']]);
    expect(await carol.api.people.remove({ userId: dave.userId })).toEqual({ sharesEnded: 1 });
    // Dave was the last member left: the share is his alone, waiting for a rotation.
    expect(await headOf(carol, davesShare)).toBeUndefined();
    expect(await headOf(dave, davesShare)).toMatchObject({ rotationDue: true });
  });
});
