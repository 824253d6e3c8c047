import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors.ts';
import type { Deps } from '../../server/deps.ts';
import type { ServerError } from '../../server/errors.ts';
import { MAX_PAGE_DATA_CHARS } from '../../server/vault/changes.ts';
import { b64, createTestDatabase, createTestDeps, databaseName, recordId, signUp, type TestDatabase } from './helpers.ts';

async function conflictOf(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (e) {
    if (e instanceof TRPCError && e.cause instanceof AppError) {
      return { code: e.code, appCode: e.cause.code, message: e.message, current: (e.cause as ServerError).details?.current };
    }
    throw e;
  }
  throw new Error('expected a conflict');
}

let tdb: TestDatabase;
let deps: Deps;
let n = 0;
const user = () => signUp(deps, `vault${++n}`);

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = await createTestDeps(tdb.database);
});
afterAll(async () => {
  await tdb.drop();
});

describe(`vault on ${databaseName}`, () => {
  it('starts empty', async () => {
    const { api, userId } = await user();
    expect(await api.vault.containerChanges({ container: userId, cursor: 0 })).toEqual({ records: [], cursor: 0, more: false });
  });

  it('put creates, updates and deletes with server-assigned revisions and cursors', async () => {
    const { api, userId } = await user();
    const id = recordId();
    const v1 = b64(100);
    expect(await api.vault.put({ container: userId, id, baseRevision: 0, keyEpoch: 0, data: v1 })).toEqual({ revision: 1, cursor: 1 });
    const v2 = b64(200);
    expect(await api.vault.put({ container: userId, id, baseRevision: 1, keyEpoch: 0, data: v2 })).toEqual({ revision: 2, cursor: 2 });
    const page = await api.vault.containerChanges({ container: userId, cursor: 0 });
    expect(page.cursor).toBe(2);
    expect(page.records).toEqual([{ id, revision: 2, data: v2, deleted: false, updatedAt: expect.any(Number), keyEpoch: 0 }]);
    expect(await api.vault.put({ container: userId, id, baseRevision: 2, keyEpoch: 0, data: '', deleted: true })).toEqual({ revision: 3, cursor: 3 });
    const after = await api.vault.containerChanges({ container: userId, cursor: 2 });
    expect(after.records).toEqual([{ id, revision: 3, data: '', deleted: true, updatedAt: expect.any(Number), keyEpoch: 0 }]);
    // A tombstone keeps no ciphertext even if the client sent some.
    const other = recordId();
    await api.vault.put({ container: userId, id: other, baseRevision: 0, keyEpoch: 0, data: b64(10) });
    await api.vault.put({ container: userId, id: other, baseRevision: 1, keyEpoch: 0, data: b64(10), deleted: true });
    expect((await api.vault.containerChanges({ container: userId, cursor: 4 })).records[0]).toMatchObject({ id: other, deleted: true, data: '' });
    expect((await api.account.me()).cursor).toBe(5);
  });

  it('a stale baseRevision is a CONFLICT carrying the current record, and changes nothing', async () => {
    const { api, userId } = await user();
    const id = recordId();
    const mine = b64(64);
    await api.vault.put({ container: userId, id, baseRevision: 0, keyEpoch: 0, data: mine });
    const theirs = b64(64);
    await api.vault.put({ container: userId, id, baseRevision: 1, keyEpoch: 0, data: theirs });
    const stale = await conflictOf(() => api.vault.put({ container: userId, id, baseRevision: 1, keyEpoch: 0, data: b64(64) }));
    expect(stale).toMatchObject({ code: 'CONFLICT', appCode: 'CONFLICT' });
    expect(stale.message).toMatch(/changed on another device/);
    expect(stale.current).toEqual({ id, revision: 2, data: theirs, deleted: false, updatedAt: expect.any(Number), keyEpoch: 0 });
    const again = await conflictOf(() => api.vault.put({ container: userId, id, baseRevision: 0, keyEpoch: 0, data: b64(64) }));
    expect(again.current).toMatchObject({ revision: 2 });
    const unknown = await conflictOf(() => api.vault.put({ container: userId, id: recordId(), baseRevision: 3, keyEpoch: 0, data: b64(64) }));
    expect(unknown.current).toBeNull();
    expect(await api.vault.containerChanges({ container: userId, cursor: 0 })).toMatchObject({ cursor: 2, records: [{ id, revision: 2, data: theirs }] });
  });

  it('of simultaneous writes from the same base revision exactly one wins', async () => {
    const { api, userId } = await user();
    const id = recordId();
    await api.vault.put({ container: userId, id, baseRevision: 0, keyEpoch: 0, data: b64(32) });
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => api.vault.put({ container: userId, id, baseRevision: 1, keyEpoch: 0, data: b64(32) })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected' && (o.reason as TRPCError).code === 'CONFLICT')).toHaveLength(19);
    const page = await api.vault.containerChanges({ container: userId, cursor: 0 });
    expect(page.records).toHaveLength(1);
    expect(page.records[0]!.revision).toBe(2);
  });

  it('simultaneous writes to different records get distinct cursors, none lost', async () => {
    const { api, userId } = await user();
    const ids = Array.from({ length: 30 }, recordId);
    const results = await Promise.all(ids.map((id) => api.vault.put({ container: userId, id, baseRevision: 0, keyEpoch: 0, data: b64(20) })));
    expect(new Set(results.map((r) => r.cursor)).size).toBe(30);
    expect(Math.max(...results.map((r) => r.cursor))).toBe(30);
    const page = await api.vault.containerChanges({ container: userId, cursor: 0, limit: 1000 });
    expect(page.records.map((r) => r.id).sort()).toEqual([...ids].sort());
  });

  it('putMany applies a batch in one transaction with a result per record', async () => {
    const { api, userId } = await user();
    const existing = recordId();
    await api.vault.put({ container: userId, id: existing, baseRevision: 0, keyEpoch: 0, data: b64(16) });
    const fresh = Array.from({ length: 5 }, () => ({ id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(50) }));
    const res = await api.vault.putMany({
      container: userId,
      records: [...fresh, { id: existing, baseRevision: 0, keyEpoch: 0, data: b64(16) }, { id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(8) }],
    });
    expect(res.cursor).toBe(7);
    expect(res.results.slice(0, 5)).toEqual(fresh.map((f, i) => ({ id: f.id, status: 'ok', revision: 1, cursor: 2 + i })));
    expect(res.results[5]).toMatchObject({ id: existing, status: 'conflict', current: { revision: 1 } });
    expect(res.results[6]).toMatchObject({ status: 'ok', revision: 1, cursor: 7 });
    const nothing = await api.vault.putMany({ container: userId, records: [{ id: existing, baseRevision: 5, keyEpoch: 0, data: b64(8) }] });
    expect(nothing.cursor).toBe(7);
    expect(nothing.results[0]!.status).toBe('conflict');
  });

  it('takes a first upload of 10,000 entries in chunks of 500 and hands it back in pages', async () => {
    const { api, userId } = await user();
    const all = Array.from({ length: 10_000 }, () => ({ id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(300) }));
    const started = performance.now();
    for (let i = 0; i < all.length; i += 500) {
      const res = await api.vault.putMany({ container: userId, records: all.slice(i, i + 500) });
      expect(res.results.every((r) => r.status === 'ok')).toBe(true);
    }
    const uploadMs = performance.now() - started;
    let cursor = 0;
    let more = true;
    const seen: string[] = [];
    let pages = 0;
    const readStart = performance.now();
    while (more) {
      const page = await api.vault.containerChanges({ container: userId, cursor, limit: 1000 });
      seen.push(...page.records.map((r) => r.id));
      expect(page.cursor).toBeGreaterThan(cursor);
      ({ cursor, more } = page);
      pages++;
    }
    const readMs = performance.now() - readStart;
    expect(pages).toBe(10);
    expect(seen).toEqual(all.map((r) => r.id));
    expect(cursor).toBe(10_000);
    console.log(`[${databaseName}] 10,000 records: upload ${uploadMs.toFixed(0)} ms, read back ${readMs.toFixed(0)} ms`);
  });

  it('pages by limit and by size, and the cursor never skips', async () => {
    const { api, userId } = await user();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const id = recordId();
      ids.push(id);
      await api.vault.put({ container: userId, id, baseRevision: 0, keyEpoch: 0, data: b64(10) });
    }
    const first = await api.vault.containerChanges({ container: userId, cursor: 0, limit: 3 });
    expect(first).toMatchObject({ cursor: 3, more: true });
    expect(first.records.map((r) => r.id)).toEqual(ids.slice(0, 3));
    const second = await api.vault.containerChanges({ container: userId, cursor: first.cursor, limit: 3 });
    expect(second.records.map((r) => r.id)).toEqual(ids.slice(3, 6));
    const third = await api.vault.containerChanges({ container: userId, cursor: second.cursor, limit: 3 });
    expect(third).toMatchObject({ cursor: 7, more: false });
    // An update moves a record to the end of the sequence.
    await api.vault.put({ container: userId, id: ids[0]!, baseRevision: 1, keyEpoch: 0, data: b64(10) });
    expect((await api.vault.containerChanges({ container: userId, cursor: 7 })).records.map((r) => r.id)).toEqual([ids[0]]);

    // Large records: a page stops at about 4 MiB of ciphertext, always taking at least one.
    const big = await user();
    const bigIds: string[] = [];
    for (let i = 0; i < 20; i++) {
      const id = recordId();
      bigIds.push(id);
      await big.api.vault.put({ container: big.userId, id, baseRevision: 0, keyEpoch: 0, data: b64(256 * 1024) });
    }
    const page = await big.api.vault.containerChanges({ container: big.userId, cursor: 0, limit: 1000 });
    expect(page.more).toBe(true);
    expect(page.records.length).toBe(Math.floor(MAX_PAGE_DATA_CHARS / Math.ceil((256 * 1024 * 4) / 3)));
    const rest = await big.api.vault.containerChanges({ container: big.userId, cursor: page.cursor, limit: 1000 });
    expect([...page.records, ...rest.records].map((r) => r.id).slice(0, page.records.length + rest.records.length)).toEqual(
      bigIds.slice(0, page.records.length + rest.records.length),
    );
  });

  it('records returns the asked records by id, and nothing for unknown ids', async () => {
    const a = await user();
    const [one, two] = [recordId(), recordId()];
    await a.api.vault.putMany({ container: a.userId, records: [{ id: one, baseRevision: 0, keyEpoch: 0, data: b64(40) }, { id: two, baseRevision: 0, keyEpoch: 0, data: b64(41) }] });
    const { records } = await a.api.vault.records({ container: a.userId, ids: [two, recordId(), two] });
    expect(records).toEqual([{ id: two, revision: 1, data: expect.any(String), deleted: false, updatedAt: expect.any(Number), keyEpoch: 0 }]);
    expect(records[0]!.data.length).toBe(b64(41).length);
  });

  it('keeps one sealed snapshot per user, the newest upload winning', async () => {
    const a = await user();
    expect(await a.api.vault.snapshot()).toBeNull();
    const first = b64(2048);
    await a.api.vault.putSnapshot({ data: first });
    expect(await a.api.vault.snapshot()).toEqual({ data: first, updatedAt: expect.any(Number) });
    const second = b64(4096);
    await a.api.vault.putSnapshot({ data: second });
    expect((await a.api.vault.snapshot())!.data).toBe(second);
    const rows = await tdb.database.db.selectFrom('vault_snapshots').selectAll().execute();
    expect(rows.filter((r) => r.data === first)).toEqual([]);
  });

  describe('authorization', () => {
    it('user B writing A’s record id in B’s own vault makes B’s own record; A’s is untouched', async () => {
      const a = await user();
      const b = await user();
      const id = recordId();
      const secret = b64(64);
      await a.api.vault.put({ container: a.userId, id, baseRevision: 0, keyEpoch: 0, data: secret });
      await a.api.vault.put({ container: a.userId, id, baseRevision: 1, keyEpoch: 0, data: secret });
      // Records are keyed by container: in B's, A's id at A's revision is a conflict about B's own (absent) record.
      const c = await conflictOf(() => b.api.vault.put({ container: b.userId, id, baseRevision: 2, keyEpoch: 0, data: b64(64) }));
      expect(c.current).toBeNull();
      const many = await b.api.vault.putMany({ container: b.userId, records: [{ id, baseRevision: 2, keyEpoch: 0, data: b64(8) }] });
      expect(many.results[0]).toEqual({ id, status: 'conflict', current: null });
      await b.api.vault.put({ container: b.userId, id, baseRevision: 0, keyEpoch: 0, data: b64(64) });
      await b.api.vault.put({ container: b.userId, id, baseRevision: 1, keyEpoch: 0, data: '', deleted: true });
      const aPage = await a.api.vault.containerChanges({ container: a.userId, cursor: 0 });
      expect(aPage.records).toEqual([{ id, revision: 2, data: secret, deleted: false, updatedAt: expect.any(Number), keyEpoch: 0 }]);
      expect(JSON.stringify(await b.api.vault.containerChanges({ container: b.userId, cursor: 0 }))).not.toContain(secret);
      expect((await b.api.vault.records({ container: b.userId, ids: [id] })).records[0]).toMatchObject({ id, revision: 2, deleted: true, data: '' });
      // Watermarks are per user.
      expect((await a.api.account.me()).cursor).toBe(2);
      expect((await b.api.account.me()).cursor).toBe(2);
    });

    it('user B can neither read nor replace user A’s snapshot', async () => {
      const a = await user();
      const b = await user();
      const sealed = b64(1024);
      await a.api.vault.putSnapshot({ data: sealed });
      expect(await b.api.vault.snapshot()).toBeNull();
      await b.api.vault.putSnapshot({ data: b64(512) });
      expect((await a.api.vault.snapshot())!.data).toBe(sealed);
      expect((await b.api.vault.snapshot())!.data).not.toBe(sealed);
    });

    it('every vault procedure needs a session', async () => {
      const { caller } = await import('./helpers.ts');
      const anon = caller(deps);
      const container = recordId();
      for (const call of [
        () => anon.vault.changes({ cursor: 0 }),
        () => anon.vault.containerChanges({ container, cursor: 0 }),
        () => anon.vault.put({ container, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(8) }),
        () => anon.vault.putMany({ container, records: [{ id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(8) }] }),
        () => anon.vault.records({ container, ids: [recordId()] }),
        () => anon.vault.snapshot(),
        () => anon.vault.putSnapshot({ data: b64(64) }),
      ]) {
        await expect(call()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      }
    });
  });
});
