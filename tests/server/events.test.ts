import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/deps.ts';
import { b64, caller, createTestDatabase, createTestDeps, databaseName, eventually, recordId, signUp, type TestDatabase } from './helpers.ts';

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

/** Subscribe through createCaller and collect what arrives: [eventId, { cursor }] pairs. */
async function watch(d: Deps, token: string, input: { cursor: number; lastEventId?: string }) {
  const abort = new AbortController();
  const events: { id: string; cursor: number }[] = [];
  let error: unknown = null;
  let ended = false;
  const iterable = await caller(d, token, '127.0.0.1', abort.signal).events.onChange(input);
  const done = (async () => {
    try {
      for await (const envelope of iterable as AsyncIterable<unknown>) {
        const [id, data] = envelope as [string, { cursor: number }];
        events.push({ id, cursor: data.cursor });
      }
    } catch (e) {
      error = e;
    } finally {
      ended = true;
    }
  })();
  return {
    events,
    error: () => error,
    ended: () => ended,
    async stop() {
      abort.abort();
      await done;
    },
  };
}

describe(`events.onChange on ${databaseName}`, () => {
  it('says nothing while nothing changes, then yields the new cursor after a write', async () => {
    const { token, api } = await user();
    const w = await watch(deps, token, { cursor: 0 });
    await new Promise((r) => setTimeout(r, 200));
    expect(w.events).toEqual([]);
    const started = Date.now();
    const { cursor } = await api.vault.put({ id: recordId(), baseRevision: 0, data: b64(20) });
    await eventually(() => w.events.length === 1, 2000);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(w.events).toEqual([{ id: String(cursor), cursor }]);
    await api.vault.putMany({ records: [{ id: recordId(), baseRevision: 0, data: b64(20) }, { id: recordId(), baseRevision: 0, data: b64(20) }] });
    await eventually(() => w.events.at(-1)?.cursor === 3, 2000);
    await w.stop();
    expect(w.ended()).toBe(true);
  });

  it('yields at once when the vault is already past the cursor', async () => {
    const { token, api } = await user();
    for (let i = 0; i < 3; i++) await api.vault.put({ id: recordId(), baseRevision: 0, data: b64(20) });
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
    const { token, api } = await user();
    for (let i = 0; i < 2; i++) await api.vault.put({ id: recordId(), baseRevision: 0, data: b64(20) });
    const resumed = await watch(deps, token, { cursor: 0, lastEventId: '2' });
    await new Promise((r) => setTimeout(r, 100));
    expect(resumed.events).toEqual([]);
    await api.vault.put({ id: recordId(), baseRevision: 0, data: b64(20) });
    await eventually(() => resumed.events.length === 1);
    expect(resumed.events[0]!.cursor).toBe(3);
    await resumed.stop();
  });

  it('does not tell user B about user A’s writes', async () => {
    const a = await user();
    const b = await user();
    const wb = await watch(deps, b.token, { cursor: 0 });
    const wa = await watch(deps, a.token, { cursor: 0 });
    await a.api.vault.put({ id: recordId(), baseRevision: 0, data: b64(20) });
    await eventually(() => wa.events.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(wb.events).toEqual([]);
    await Promise.all([wa.stop(), wb.stop()]);
  });

  it('reaches a subscriber through a second connection to the database (another process)', async () => {
    const { token, api } = await user();
    const otherProcess = await createTestDeps(tdb.reopen());
    const w = await watch(otherProcess, token, { cursor: 0 });
    await api.vault.put({ id: recordId(), baseRevision: 0, data: b64(20) });
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
    const { token, api, input } = await user();
    const w = await watch(deps, token, { cursor: 0 });
    const other = await caller(deps).account.login({ username: input.username, authKey: input.authKey });
    await api.account.logout();
    await caller(deps, other.token).vault.put({ id: recordId(), baseRevision: 0, data: b64(20) });
    await eventually(() => w.ended(), 2000);
    expect(w.events).toEqual([]);
    expect(w.error()).toMatchObject({ code: 'UNAUTHORIZED', cause: { code: 'UNAUTHENTICATED' } });
  });

  it('needs a session to subscribe', async () => {
    await expect(caller(deps).events.onChange({ cursor: 0 })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
