// The personal vault as the first container (issue 14, step 1): the directory answered by
// vault.changes, per-container paging, the access check on every container call, and key epochs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/deps.ts';
import { b64, createTestDatabase, createTestDeps, databaseName, recordId, signUp, snapshot, type TestDatabase } from './helpers.ts';
import { refusal } from './refusal.ts';

let tdb: TestDatabase;
let deps: Deps;
let n = 0;
const user = () => signUp(deps, `containers${++n}`);

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = await createTestDeps(tdb.database);
});
afterAll(async () => {
  await tdb.drop();
});

const put = (u: Awaited<ReturnType<typeof user>>, id = recordId()) =>
  u.api.vault.put({ container: u.userId, id, baseRevision: 0, keyEpoch: 0, data: b64(40) });

describe(`containers on ${databaseName}`, () => {
  it('registration makes the personal container, whose id is the user’s', async () => {
    const u = await user();
    const rows = await tdb.database.db.selectFrom('containers').selectAll().where('owner_id', '=', u.userId).execute();
    expect(rows).toEqual([
      { id: u.userId, kind: 'personal', owner_id: u.userId, head_seq: 0, key_epoch: 0, rotation_due: 0, created_at: expect.any(Number), updated_at: expect.any(Number) },
    ]);
  });

  it('vault.changes answers nothing while the watermark has not moved, and the directory once it has', async () => {
    const u = await user();
    expect(await u.api.vault.changes({ cursor: 0 })).toEqual({ cursor: 0, containers: [] });
    const { cursor: head } = await put(u);
    // The idle poll after the owner's write sees the watermark move, with the container's new head.
    expect(await u.api.vault.changes({ cursor: 0 })).toEqual({
      cursor: 1,
      containers: [{ id: u.userId, kind: 'personal', head, epoch: 0, role: 'owner', accepted: true, rotationDue: false }],
    });
    expect(await u.api.vault.changes({ cursor: 1 })).toEqual({ cursor: 1, containers: [] });
    // The watermark moved in the same transaction as the write, and only the writer's.
    const other = await user();
    await put(u);
    const users = await tdb.database.db.selectFrom('users').select(['id', 'change_seq']).where('id', 'in', [u.userId, other.userId]).execute();
    expect(Object.fromEntries(users.map((r) => [r.id, r.change_seq]))).toEqual({ [u.userId]: 2, [other.userId]: 0 });
    expect(await other.api.vault.changes({ cursor: 0 })).toEqual({ cursor: 0, containers: [] });
  });

  it('pages each container by its own cursor', async () => {
    const a = await user();
    const b = await user();
    const aIds: string[] = [];
    const bIds: string[] = [];
    // Interleaved writes: each container's sequence counts its own records only.
    for (let i = 0; i < 5; i++) {
      const aId = recordId();
      const bId = recordId();
      aIds.push(aId);
      bIds.push(bId);
      expect((await put(a, aId)).cursor).toBe(i + 1);
      expect((await put(b, bId)).cursor).toBe(i + 1);
    }
    const seen: string[] = [];
    let cursor = 0;
    let more = true;
    const cursors: number[] = [];
    while (more) {
      const page = await a.api.vault.containerChanges({ container: a.userId, cursor, limit: 2 });
      seen.push(...page.records.map((r) => r.id));
      ({ cursor, more } = page);
      cursors.push(cursor);
    }
    expect(seen).toEqual(aIds);
    expect(cursors).toEqual([2, 4, 5]);
    // At the head: an empty page, the cursor kept.
    expect(await a.api.vault.containerChanges({ container: a.userId, cursor: 5 })).toEqual({ records: [], cursor: 5, more: false });
    const bPage = await b.api.vault.containerChanges({ container: b.userId, cursor: 3 });
    expect(bPage.records.map((r) => r.id)).toEqual(bIds.slice(3));
  });

  it('another user’s container answers NOT_FOUND, as one that does not exist, and nothing changes', async () => {
    const owner = await user();
    const stranger = await user();
    const id = recordId();
    await put(owner, id);
    const before = await snapshot(tdb.database);
    const calls = (container: string): (() => Promise<unknown>)[] => [
      () => stranger.api.vault.containerChanges({ container, cursor: 0 }),
      () => stranger.api.vault.records({ container, ids: [id] }),
      () => stranger.api.vault.put({ container, id, baseRevision: 1, keyEpoch: 0, data: b64(8) }),
      () => stranger.api.vault.put({ container, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(8) }),
      () => stranger.api.vault.putMany({ container, records: [{ id, baseRevision: 1, keyEpoch: 0, data: '', deleted: true }] }),
    ];
    const theirs = await Promise.all(calls(owner.userId).map((call) => refusal(call())));
    const missing = await Promise.all(calls(recordId()).map((call) => refusal(call())));
    for (const r of theirs) expect(r.code).toBe('NOT_FOUND');
    // Ids reveal nothing: the same answer for a container that does not exist.
    expect(missing).toEqual(theirs);
    expect(await snapshot(tdb.database)).toEqual(before);
    // Positive control: the owner reaches the same record with the same calls.
    expect((await owner.api.vault.records({ container: owner.userId, ids: [id] })).records).toHaveLength(1);
    expect(await owner.api.vault.put({ container: owner.userId, id, baseRevision: 1, keyEpoch: 0, data: b64(8) })).toMatchObject({ revision: 2 });
  });

  it('refuses a write under a key epoch that is not the container’s, changing nothing', async () => {
    const u = await user();
    const id = recordId();
    await put(u, id);
    const before = await snapshot(tdb.database);
    const stale = await refusal(u.api.vault.put({ container: u.userId, id, baseRevision: 1, keyEpoch: 1, data: b64(8) }));
    expect(stale).toMatchObject({ code: 'CONFLICT', details: { reason: 'stale-epoch', epoch: 0 } });
    const fresh = recordId();
    const many = await u.api.vault.putMany({
      container: u.userId,
      records: [
        { id, baseRevision: 1, keyEpoch: 3, data: b64(8) },
        { id: fresh, baseRevision: 0, keyEpoch: 0, data: b64(8) },
      ],
    });
    expect(many.results).toEqual([
      { id, status: 'stale-epoch', epoch: 0 },
      { id: fresh, status: 'ok', revision: 1, cursor: 2 },
    ]);
    // Only the record under the current epoch was written.
    const page = await u.api.vault.containerChanges({ container: u.userId, cursor: 1 });
    expect(page.records.map((r) => [r.id, r.keyEpoch])).toEqual([[fresh, 0]]);
    const after = await snapshot(tdb.database);
    expect(after.vault_records!.filter((r) => (r as { id: string }).id === id)).toEqual(before.vault_records!.filter((r) => (r as { id: string }).id === id));
  });
});
