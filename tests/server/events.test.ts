import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/deps.ts';
import { watch } from './stream-fixtures.ts';
import { b64, caller, createTestDatabase, createTestDeps, databaseName, eventually, isPostgres, recordId, signUp, type TestDatabase } from './helpers.ts';

let tdb: TestDatabase;
let deps: Deps;
let n = 0;
const user = () => signUp(deps, `events${++n}`);

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = await createTestDeps(tdb.database);
});
afterAll(async () => {
  await tdb.drop();
});

describe(`events.onChange on ${databaseName}`, () => {
  it('says nothing while nothing changes, then yields the new cursor after a write', async () => {
    const { token, api, userId } = await user();
    const w = await watch(deps, token, { cursor: 0 });
    await new Promise((r) => setTimeout(r, 200));
    expect(w.events).toEqual([]);
    const started = Date.now();
    const { cursor } = await api.vault.put({ container: userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(20) });
    await eventually(() => w.events.length === 1, 2000);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(w.events).toEqual([{ id: String(cursor), cursor }]);
    await api.vault.putMany({ container: userId, records: [{ id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(20) }, { id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(20) }] });
    await eventually(() => w.events.at(-1)?.cursor === 3, 2000);
    await w.stop();
    expect(w.ended()).toBe(true);
  });

  it('yields at once when the vault is already past the cursor', async () => {
    const { token, api, userId } = await user();
    for (let i = 0; i < 3; i++) await api.vault.put({ container: userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(20) });
    const w = await watch(deps, token, { cursor: 1 });
    await eventually(() => w.events.length === 1, 2000);
    expect(w.events[0]).toEqual({ id: '3', cursor: 3 });
    await w.stop();
    const current = await watch(deps, token, { cursor: 3 });
    await new Promise((r) => setTimeout(r, 100));
    expect(current.events).toEqual([]);
    await current.stop();
  });

  it('resumes from lastEventId (a reconnect) rather than the original cursor', async () => {
    const { token, api, userId } = await user();
    for (let i = 0; i < 2; i++) await api.vault.put({ container: userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(20) });
    const resumed = await watch(deps, token, { cursor: 0, lastEventId: '2' });
    await new Promise((r) => setTimeout(r, 100));
    expect(resumed.events).toEqual([]);
    await api.vault.put({ container: userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(20) });
    await eventually(() => resumed.events.length === 1);
    expect(resumed.events[0]!.cursor).toBe(3);
    await resumed.stop();
  });

  it('does not tell user B about user A’s writes', async () => {
    const a = await user();
    const b = await user();
    const wb = await watch(deps, b.token, { cursor: 0 });
    const wa = await watch(deps, a.token, { cursor: 0 });
    await a.api.vault.put({ container: a.userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(20) });
    await eventually(() => wa.events.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(wb.events).toEqual([]);
    await Promise.all([wa.stop(), wb.stop()]);
  });

  it('reaches a subscriber through a second connection to the database (another process)', async () => {
    const { token, api, userId } = await user();
    const otherProcess = await createTestDeps(tdb.reopen());
    const w = await watch(otherProcess, token, { cursor: 0 });
    await api.vault.put({ container: userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(20) });
    if (tdb.database.kind === 'postgres') {
      // LISTEN/NOTIFY crosses connections (and processes).
      await eventually(() => w.events.length === 1, 2000);
    } else {
      // SQLite runs as one process: its feed is in-process, which is all it needs.
      await new Promise((r) => setTimeout(r, 150));
      expect(w.events).toEqual([]);
    }
    await w.stop();
  });

  it('ends the stream with UNAUTHORIZED once the session is gone', async () => {
    const { token, api, input, userId } = await user();
    const w = await watch(deps, token, { cursor: 0 });
    const other = await caller(deps).account.login({ username: input.username, authKey: input.authKey });
    await api.account.logout();
    await caller(deps, other.token).vault.put({ container: userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(20) });
    await eventually(() => w.ended(), 2000);
    expect(w.events).toEqual([]);
    expect(w.error()).toMatchObject({ code: 'UNAUTHORIZED', cause: { code: 'UNAUTHENTICATED' } });
  });

  it('ends the stream within seconds of logout, sign out everywhere or a password change, with no vault change', async () => {
    const endings: [string, (u: Awaited<ReturnType<typeof user>>) => Promise<unknown>][] = [
      ['logout', (u) => u.api.account.logout()],
      ['logoutEverywhere', (u) => caller(deps, u.token).account.logoutEverywhere()],
      [
        'changePassword from another device',
        async (u) => {
          const other = await caller(deps).account.login({ username: u.input.username, authKey: u.input.authKey });
          await caller(deps, other.token).account.changePassword({ authKey: u.input.authKey, newAuthKey: b64(32), newSalt: b64(16), newKdf: u.input.kdf, newWrappedUserKey: b64(72) });
        },
      ],
    ];
    for (const [label, end] of endings) {
      const u = await user();
      const w = await watch(deps, u.token, { cursor: 0 });
      // Positive control: the stream is live and hears a write.
      await u.api.vault.put({ container: u.userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(20) });
      await eventually(() => w.events.length === 1, 2000);
      await end(u);
      await eventually(() => w.ended(), 3000).catch(() => {
        throw new Error(`the stream stayed open after ${label}`);
      });
      expect(w.error(), label).toMatchObject({ code: 'UNAUTHORIZED', cause: { code: 'UNAUTHENTICATED' } });
      expect(w.events).toHaveLength(1);
    }
  });

  it(
    isPostgres
      ? 'ends a stream when a logout through another connection (another process) ends its session (NOTIFY)'
      : 'ends a stream when a logout through the same process ends its session (SQLite is one process)',
    async () => {
      const u = await user();
      const other = isPostgres ? await createTestDeps(tdb.reopen()) : deps;
      const w = await watch(deps, u.token, { cursor: 0 });
      await u.api.vault.put({ container: u.userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(20) });
      await eventually(() => w.events.length === 1, 2000);
      await caller(other, u.token).account.logout();
      await eventually(() => w.ended(), 3000);
      expect(w.error()).toMatchObject({ code: 'UNAUTHORIZED', cause: { code: 'UNAUTHENTICATED' } });
    },
  );

  it('ends the stream when its session expires, with no vault change', async () => {
    const short = await createTestDeps(tdb.database, { config: { sessionTtlMs: 1500 } });
    const u = await signUp(short, `events${++n}`);
    const w = await watch(short, u.token, { cursor: 0 });
    await u.api.vault.put({ container: u.userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(20) });
    await eventually(() => w.events.length === 1, 1000);
    expect(w.ended()).toBe(false);
    await eventually(() => w.ended(), 4000);
    expect(w.error()).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('needs a session to subscribe', async () => {
    await expect(caller(deps).events.onChange({ cursor: 0 })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
