// Two `tsx server/index.ts` processes on one database behave as one server: sessions, rate limits
// and cursors live in the database, and (on PostgreSQL, through LISTEN/NOTIFY) an edit made
// through one process reaches a live client of the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, createApiClient } from '../../lib/api/client.ts';
import { b64, createTestDatabase, databaseName, eventually, isPostgres, recordId, registration, startServerProcess, type ServerProcess, type TestDatabase } from './helpers.ts';

let tdb: TestDatabase;
let a: ServerProcess;
let b: ServerProcess;

beforeAll(async () => {
  tdb = await createTestDatabase();
  [a, b] = await Promise.all([startServerProcess(tdb.env), startServerProcess(tdb.env)]);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await tdb.drop();
});

async function twoDevices(name: string) {
  const input = registration(name);
  let tokenA: string | null = null;
  const onA = createApiClient(a.url, () => tokenA);
  const registered = await onA.account.register.mutate(input);
  tokenA = registered.token;
  const tokenB = (await createApiClient(b.url, () => null).account.login.mutate({ username: name, authKey: input.authKey })).token;
  const onB = createApiClient(b.url, () => tokenB);
  return { input, onA, onB, tokenA: tokenA!, tokenB, userId: registered.userId };
}

const caught = async (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e);

describe(`two server processes on one ${databaseName} database`, () => {
  it('both answer, each on its own port', async () => {
    expect(a.url).not.toBe(b.url);
    for (const p of [a, b]) expect(await (await fetch(`${p.url}/healthz`)).json()).toEqual({ ok: true });
  });

  it('share sessions: a session made on A works on B, and a logout on A ends it on B', async () => {
    const { onA, tokenA } = await twoDevices('shared-session');
    const sameSessionOnB = createApiClient(b.url, () => tokenA);
    expect((await sameSessionOnB.account.me.query()).username).toBe('shared-session');
    await onA.account.logout.mutate();
    expect(apiError(await caught(sameSessionOnB.account.me.query())).code).toBe('UNAUTHENTICATED');
  });

  it('share sign-in rate limits: failures on A and B count together', async () => {
    const { input } = await twoDevices('shared-limit');
    for (let i = 0; i < 10; i++) {
      const p = i % 2 ? a : b;
      const e = await caught(createApiClient(p.url, () => null).account.login.mutate({ username: input.username, authKey: b64(32) }));
      expect(apiError(e).code).toBe('WRONG_PASSWORD');
    }
    for (const p of [a, b]) {
      const e = await caught(createApiClient(p.url, () => null).account.login.mutate({ username: input.username, authKey: input.authKey }));
      expect(apiError(e).code).toBe('RATE_LIMITED');
    }
  });

  it('hand out distinct cursors and let exactly one of two simultaneous edits win', async () => {
    const { onA, onB, userId } = await twoDevices('shared-cursor');
    const writes = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? onA : onB).vault.put.mutate({ container: userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(50) })));
    expect(new Set(writes.map((w) => w.cursor)).size).toBe(40);
    expect(Math.max(...writes.map((w) => w.cursor))).toBe(40);

    const id = recordId();
    await onA.vault.put.mutate({ container: userId, id, baseRevision: 0, keyEpoch: 0, data: b64(50) });
    const race = await Promise.allSettled([onA, onB, onA, onB].map((c) => c.vault.put.mutate({ container: userId, id, baseRevision: 1, keyEpoch: 0, data: b64(50) })));
    expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(race.filter((r) => r.status === 'rejected').map((r) => apiError((r as PromiseRejectedResult).reason).code)).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT']);
    const all = await onB.vault.containerChanges.query({ container: userId, cursor: 0, limit: 1000 });
    expect(all.records).toHaveLength(41);
  });

  // SQLite is the single-process embedded default: its live updates fan out in-process, so across
  // two processes on one file a subscriber learns of the other's edits when it (re)subscribes, and
  // only PostgreSQL (LISTEN/NOTIFY) pushes them as they happen.
  it(
    isPostgres
      ? 'pushes an edit through A to a subscriber on B within 2 s, and the other way round (LISTEN/NOTIFY)'
      : 'lets a subscriber on B catch up with an edit made through A as soon as it subscribes (pushes across processes need PostgreSQL)',
    async () => {
      const { onA, onB, userId } = await twoDevices('live-across');
      if (!isPostgres) {
        const first = await onA.vault.put.mutate({ container: userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(80) });
        const seen: number[] = [];
        const sub = onB.events.onChange.subscribe({ cursor: 0 }, { onData: (d) => seen.push(d.data.cursor) });
        await eventually(() => seen.includes(first.cursor), 2000);
        sub.unsubscribe();
        return;
      }
      const onBEvents: number[] = [];
      const onAEvents: number[] = [];
      let startedB = false;
      let startedA = false;
      const subB = onB.events.onChange.subscribe({ cursor: 0 }, { onStarted: () => (startedB = true), onData: (d) => onBEvents.push(d.data.cursor) });
      const subA = onA.events.onChange.subscribe({ cursor: 0 }, { onStarted: () => (startedA = true), onData: (d) => onAEvents.push(d.data.cursor) });
      await eventually(() => startedA && startedB, 5000);

      let t0 = Date.now();
      const first = await onA.vault.put.mutate({ container: userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(80) });
      await eventually(() => onBEvents.includes(first.cursor), 2000);
      expect(Date.now() - t0).toBeLessThan(2000);

      t0 = Date.now();
      const second = await onB.vault.put.mutate({ container: userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(80) });
      await eventually(() => onAEvents.includes(second.cursor), 2000);
      expect(Date.now() - t0).toBeLessThan(2000);

      const page = await onB.vault.changes.query({ cursor: 0 });
      expect(page).toEqual({ cursor: 2, containers: [expect.objectContaining({ id: userId, head: 2 })] });
      subA.unsubscribe();
      subB.unsubscribe();
    },
  );

  it('stop gracefully on SIGTERM, even with a live-update stream open', async () => {
    const extra = await startServerProcess(tdb.env);
    const input = registration('graceful');
    let token: string | null = null;
    const api = createApiClient(extra.url, () => token);
    token = (await api.account.register.mutate(input)).token;
    let started = false;
    const sub = api.events.onChange.subscribe({ cursor: 0 }, { onStarted: () => (started = true) });
    await eventually(() => started, 5000);
    const t0 = Date.now();
    expect(await extra.stop()).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000);
    sub.unsubscribe();
  });
});
