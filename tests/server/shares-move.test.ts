// vault.move (issue 14 step 2): an entry moves from the personal container into a share and back,
// in one transaction: a tombstone in one container and the record in the other, or neither (a
// conflict, a stale epoch, a missing record, a refused right or a full quota change nothing).
// Runs on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/deps.ts';
import { b64, caller, createTestDatabase, createTestDeps, databaseName, recordId, snapshot, type TestDatabase } from './helpers.ts';
import { appCode, confirmedUser, type User } from './people-fixtures.ts';
import { refusal } from './refusal.ts';
import { connectAll, makeShare, putRecord, storageUsed, watermark } from './share-fixtures.ts';

let tdb: TestDatabase;
let deps: Deps;
let owner: User;
let bob: User;
let carol: User;
let stranger: User;

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = await createTestDeps(tdb.database);
  owner = await confirmedUser(deps, 'owner');
  bob = await confirmedUser(deps, 'bob');
  carol = await confirmedUser(deps, 'carol');
  stranger = await confirmedUser(deps, 'stranger');
  await connectAll([owner, bob, carol]);
});
afterAll(async () => {
  await tdb.drop();
});

const recordIn = (container: string, id: string) =>
  tdb.database.db.selectFrom('vault_records').select(['revision', 'deleted', 'data', 'key_epoch', 'author_id']).where('container_id', '=', container).where('id', '=', id).executeTakeFirst();

describe(`vault.move on ${databaseName}`, () => {
  it('moves an entry into a share and back: a tombstone behind, the record ahead, every member told', async () => {
    const share = await makeShare(owner, [[bob, 'write']]);
    const { id } = await putRecord(owner, owner.userId, 0);
    const bobMark = await watermark(tdb.database, bob.userId);
    const sealed = b64(80);
    const into = await owner.api.vault.move({ from: owner.userId, to: share, toEpoch: 1, records: [{ id, fromBaseRevision: 1, data: sealed }] });
    expect(into.results).toEqual([{ id, status: 'ok', revision: 1 }]);
    expect(into.cursors).toEqual({ from: 2, to: 1 });
    expect(await recordIn(owner.userId, id)).toMatchObject({ revision: 2, deleted: 1, data: '' });
    expect(await recordIn(share, id)).toEqual({ revision: 1, deleted: 0, data: sealed, key_epoch: 1, author_id: owner.userId });
    expect(await watermark(tdb.database, bob.userId)).toBeGreaterThan(bobMark);
    expect((await bob.api.vault.containerChanges({ container: share, cursor: 0 })).records.map((r) => r.id)).toEqual([id]);

    // Back into the personal container: the record follows its tombstone's revision there.
    const back = await owner.api.vault.move({ from: share, to: owner.userId, toEpoch: 0, records: [{ id, fromBaseRevision: 1, data: b64(80) }] });
    expect(back.results).toEqual([{ id, status: 'ok', revision: 3 }]);
    expect(await recordIn(share, id)).toMatchObject({ revision: 2, deleted: 1 });
    expect(await recordIn(owner.userId, id)).toMatchObject({ revision: 3, deleted: 0, key_epoch: 0 });
  });

  it('answers conflict, stale-epoch and not-found per record, moving none of them', async () => {
    const share = await makeShare(owner, [[bob, 'write']]);
    const { id } = await putRecord(owner, owner.userId, 0);
    const live = await putRecord(owner, share, 1);
    await putRecord(owner, owner.userId, 0, live.id);
    const before = await snapshot(tdb.database);
    const move = (toEpoch: number, records: { id: string; fromBaseRevision: number; data: string }[]) => owner.api.vault.move({ from: owner.userId, to: share, toEpoch, records });
    expect((await move(1, [{ id, fromBaseRevision: 2, data: b64(20) }])).results).toEqual([{ id, status: 'conflict' }]);
    // The same id alive in the share is another entry's: never overwritten.
    expect((await move(1, [{ id: live.id, fromBaseRevision: 1, data: b64(20) }])).results).toEqual([{ id: live.id, status: 'conflict' }]);
    const missing = recordId();
    expect((await move(1, [{ id: missing, fromBaseRevision: 1, data: b64(20) }])).results).toEqual([{ id: missing, status: 'not-found' }]);
    expect((await move(2, [{ id, fromBaseRevision: 1, data: b64(20) }])).results).toEqual([{ id, status: 'stale-epoch' }]);
    expect(await snapshot(tdb.database)).toEqual(before);
    expect(await appCode(move(1, []))).toBe('BAD_INPUT');
    expect(await appCode(owner.api.vault.move({ from: share, to: share, toEpoch: 1, records: [{ id, fromBaseRevision: 1, data: b64(20) }] }))).toBe('BAD_INPUT');
  });

  it('needs write on both containers: a reader, a stranger and a full quota change nothing', async () => {
    const share = await makeShare(owner, [[carol, 'read']]);
    const carolsEntry = await putRecord(carol, carol.userId, 0);
    const inShare = await putRecord(owner, share, 1);
    const strangersEntry = await putRecord(stranger, stranger.userId, 0);
    const before = await snapshot(tdb.database);
    const into = await refusal(carol.api.vault.move({ from: carol.userId, to: share, toEpoch: 1, records: [{ id: carolsEntry.id, fromBaseRevision: 1, data: b64(20) }] }));
    expect(into).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'role', needed: 'write' } });
    const out = await refusal(carol.api.vault.move({ from: share, to: carol.userId, toEpoch: 0, records: [{ id: inShare.id, fromBaseRevision: 1, data: b64(20) }] }));
    expect(out.code).toBe('FORBIDDEN');
    const theirs = await refusal(stranger.api.vault.move({ from: stranger.userId, to: share, toEpoch: 1, records: [{ id: strangersEntry.id, fromBaseRevision: 1, data: b64(20) }] }));
    expect(theirs.code).toBe('NOT_FOUND');
    const steal = await refusal(stranger.api.vault.move({ from: share, to: stranger.userId, toEpoch: 0, records: [{ id: inShare.id, fromBaseRevision: 1, data: b64(20) }] }));
    expect(steal.code).toBe('NOT_FOUND');

    // The owner's quota is nearly full: the whole move is refused, in both containers.
    const { id } = await putRecord(owner, owner.userId, 0);
    const full = await snapshot(tdb.database);
    const tight = await createTestDeps(tdb.database, { config: { storageQuotaBytes: (await storageUsed(tdb.database, owner.userId)) + 100 } });
    const big = await refusal(caller(tight, owner.token).vault.move({ from: owner.userId, to: share, toEpoch: 1, records: [{ id, fromBaseRevision: 1, data: b64(3000) }] }));
    expect(big).toMatchObject({ code: 'TOO_LARGE', details: { reason: 'quota' } });
    expect(await snapshot(tdb.database)).toEqual(full);
    expect(full.vault_records!.length).toBe(before.vault_records!.length + 1);
  });
});
