// The per-account storage quota: counted in users.storage_used by every write (records and the
// snapshot), refused with TOO_LARGE and details when a write would exceed it, and given back by
// writes that shrink or delete.
import { TRPCError } from '@trpc/server';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/deps.ts';
import { RECORD_OVERHEAD_BYTES } from '../../server/db/migrations.ts';
import { ServerError } from '../../server/errors.ts';
import { b64, createTestDatabase, createTestDeps, databaseName, recordId, signUp, snapshot, type TestDatabase } from './helpers.ts';

let tdb: TestDatabase;
let n = 0;
const QUOTA = 20_000;

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb.drop();
});

async function account(quota = QUOTA) {
  const deps = await createTestDeps(tdb.database, { config: { storageQuotaBytes: quota } });
  return { deps, ...(await signUp(deps, `quota${++n}`)) };
}

async function usedBytes(deps: Deps, userId: string): Promise<number> {
  const row = await deps.database.db.selectFrom('users').select('storage_used').where('id', '=', userId).executeTakeFirstOrThrow();
  return row.storage_used;
}

/** What the counter should say, summed from the rows themselves. */
async function recount(deps: Deps, userId: string): Promise<number> {
  const { db } = deps.database;
  const records = await db
    .selectFrom('vault_records')
    .select(sql<number>`coalesce(sum(length(data) + length(id) + ${sql.lit(RECORD_OVERHEAD_BYTES)}), 0)`.as('n'))
    .where('container_id', '=', userId)
    .executeTakeFirstOrThrow();
  const snap = await db.selectFrom('vault_snapshots').select(sql<number>`length(data)`.as('n')).where('user_id', '=', userId).executeTakeFirst();
  return Number(records.n) + Number(snap?.n ?? 0);
}

async function quotaFailure(fn: () => Promise<unknown>) {
  const e = await fn().then(
    () => {
      throw new Error('expected the write to be refused');
    },
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(TRPCError);
  const cause = (e as TRPCError).cause;
  expect(cause).toBeInstanceOf(ServerError);
  return { code: (cause as ServerError).code, details: (cause as ServerError).details!, message: (e as TRPCError).message, status: (e as TRPCError).code };
}

describe(`storage quota on ${databaseName}`, () => {
  it('counts every write in the account row, records and snapshot, and matches the rows', async () => {
    const { deps, userId, api } = await account();
    expect(await usedBytes(deps, userId)).toBe(0);
    const id = recordId();
    await api.vault.put({ container: userId, id, baseRevision: 0, keyEpoch: 0, data: b64(3000) });
    await api.vault.putMany({ container: userId, records: [{ id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(1000) }, { id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(10) }] });
    await api.vault.putSnapshot({ data: b64(600) });
    expect(await usedBytes(deps, userId)).toBe(await recount(deps, userId));
    expect(await usedBytes(deps, userId)).toBeGreaterThan(4600 * (4 / 3));
    expect((await api.account.me()).storage).toEqual({ usedBytes: await usedBytes(deps, userId), limitBytes: QUOTA });
  });

  it('refuses a write past the quota with TOO_LARGE, used and limit, and changes nothing', async () => {
    const { deps, userId, api } = await account();
    const id = recordId();
    await api.vault.put({ container: userId, id, baseRevision: 0, keyEpoch: 0, data: b64(9000) });
    const before = await snapshot(deps.database);
    const used = await usedBytes(deps, userId);

    const one = await quotaFailure(() => api.vault.put({ container: userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(6000) }));
    expect(one).toMatchObject({ code: 'TOO_LARGE', status: 'PAYLOAD_TOO_LARGE', details: { reason: 'quota', usedBytes: used, limitBytes: QUOTA } });
    expect(one.message).toMatch(/storage quota/);
    // A batch that would cross it is refused as a whole, also when its first records would fit.
    const batch = await quotaFailure(() =>
      api.vault.putMany({ container: userId, records: [{ id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(100) }, { id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(6000) }] }),
    );
    expect(batch.details).toMatchObject({ usedBytes: used, limitBytes: QUOTA });
    // Growing an existing record counts only the growth, and is refused the same way.
    await quotaFailure(() => api.vault.put({ container: userId, id, baseRevision: 1, keyEpoch: 0, data: b64(15_000) }));
    const snap = await quotaFailure(() => api.vault.putSnapshot({ data: b64(6000) }));
    expect(snap.details).toMatchObject({ reason: 'quota', usedBytes: used });

    expect(await snapshot(deps.database)).toEqual(before);
    expect(await deps.database.db.selectFrom('vault_snapshots').select('user_id').where('user_id', '=', userId).execute()).toEqual([]);
    expect(await usedBytes(deps, userId)).toBe(used);
  });

  it('gives room back when a write shrinks or deletes, also for an account already over a lowered quota', async () => {
    const { userId, input, api } = await account();
    const big = recordId();
    const other = recordId();
    await api.vault.put({ container: userId, id: big, baseRevision: 0, keyEpoch: 0, data: b64(6000) });
    await api.vault.put({ container: userId, id: other, baseRevision: 0, keyEpoch: 0, data: b64(6000) });
    await api.vault.putSnapshot({ data: b64(1500) });

    // The operator lowers the quota below what the account holds.
    const lowered = await createTestDeps(tdb.database, { config: { storageQuotaBytes: 5000 } });
    const { caller } = await import('./helpers.ts');
    const lowApi = caller(lowered, (await caller(lowered).account.login({ username: input.username, authKey: input.authKey })).token);
    const over = await usedBytes(lowered, userId);
    expect(over).toBeGreaterThan(5000);
    await quotaFailure(() => lowApi.vault.put({ container: userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(10) }));
    // Shrinking and deleting are allowed even over the quota, and each gives its bytes back.
    await lowApi.vault.put({ container: userId, id: big, baseRevision: 1, keyEpoch: 0, data: b64(300) });
    const afterShrink = await usedBytes(lowered, userId);
    expect(afterShrink).toBeLessThan(over);
    await lowApi.vault.put({ container: userId, id: other, baseRevision: 1, keyEpoch: 0, data: '', deleted: true });
    await lowApi.vault.putSnapshot({ data: b64(100) });
    const afterDelete = await usedBytes(lowered, userId);
    expect(afterDelete).toBeLessThan(afterShrink);
    expect(afterDelete).toBe(await recount(lowered, userId));
    // Back under the quota, a write that fits goes through.
    expect(afterDelete).toBeLessThan(5000);
    await lowApi.vault.put({ container: userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(1000) });
    expect(await usedBytes(lowered, userId)).toBe(await recount(lowered, userId));
  });

  it('one account cannot take another’s room: the quota is per account', async () => {
    const a = await account();
    const b = await account();
    await a.api.vault.put({ container: a.userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(14_000) });
    await b.api.vault.put({ container: b.userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(14_000) });
    expect(await usedBytes(a.deps, a.userId)).toBeGreaterThan(18_000);
    expect(await usedBytes(b.deps, b.userId)).toBeGreaterThan(18_000);
  });

  it('holds under simultaneous writes: they never add up past the quota', async () => {
    const { deps, userId, api } = await account();
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => api.vault.put({ container: userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(2000) })));
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThan(3);
    expect(results.filter((r) => r.status === 'rejected').length).toBeGreaterThan(0);
    expect(await usedBytes(deps, userId)).toBeLessThanOrEqual(QUOTA);
    expect(await usedBytes(deps, userId)).toBe(await recount(deps, userId));
  });
});
