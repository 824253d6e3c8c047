// PostgreSQL drops connections under running requests: a restart, a failover, pg_terminate_backend.
// Every server process must stay up, answer the requests caught in it with NETWORK (which clients
// retry), reconnect, and resume live updates. Runs only on PostgreSQL (see vitest.config.ts), on
// the cluster scripts/test-server.mjs started, whose folder it needs in order to restart it.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, createApiClient, type ApiClient } from '../../../lib/api/client.ts';
import { restartPostgres } from '../../../scripts/pg.mjs';
import { b64, createTestDatabase, DATABASE_URL, eventually, isPostgres, recordId, registration, startServerProcess, type ServerProcess, type TestDatabase } from '../helpers.ts';

if (!isPostgres) throw new Error('tests/server/postgres/ needs DATABASE_URL=postgres://… (node scripts/test-server.mjs --db postgres)');
const clusterDir = process.env.LATCHKEY_TEST_PG_DIR;
if (!clusterDir) throw new Error('LATCHKEY_TEST_PG_DIR is not set: run this through node scripts/test-server.mjs, which owns the cluster');

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb.drop();
});

async function asAdmin<T>(f: (c: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  try {
    return await f(admin);
  } finally {
    await admin.end();
  }
}

describe('connections lost under requests (PostgreSQL)', () => {
  it('pg_terminate_backend during a transaction fails that transaction as unavailable; the process lives on', async () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./terminate-in-transaction.ts', import.meta.url))], {
      env: { ...process.env, DATABASE_URL: tdb.env.DATABASE_URL },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.status, child.stderr).toBe(0);
    expect(JSON.parse(child.stdout.trim().split('\n').pop()!)).toEqual({ unavailable: true, nextQuery: 1 });
  });

  it('an idle pooled connection and the live-update connection being terminated do not end the process either', async () => {
    const database = tdb.reopen();
    await sql`select 1`.execute(database.db);
    let heard = 0;
    const unsubscribe = database.feed.subscribe('someone', () => heard++);
    await eventually(async () => (await asAdmin((c) => c.query(`select count(*)::int as n from pg_stat_activity where query like 'LISTEN%'`))).rows[0].n > 0, 5000);
    await asAdmin((c) => c.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1`, [new URL(tdb.env.DATABASE_URL!).pathname.slice(1)]));
    // The feed reconnects and tells its subscribers to look again (null).
    await eventually(() => heard > 0, 10_000);
    expect((await sql<{ one: number }>`select 1 as one`.execute(database.db)).rows[0]!.one).toBe(1);
    unsubscribe();
  });

  describe('a cluster restart under a write load, two server processes', () => {
    let a: ServerProcess;
    let b: ServerProcess;
    beforeAll(async () => {
      [a, b] = await Promise.all([startServerProcess(tdb.env), startServerProcess(tdb.env)]);
    });
    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
    });

    it('keeps both processes serving, loses no acknowledged write, and resumes live updates', { timeout: 120_000 }, async () => {
      const input = registration('restart');
      let token: string | null = null;
      const onA = createApiClient(a.url, () => token);
      const registered = await onA.account.register.mutate(input);
      token = registered.token;
      const { userId } = registered;
      const onB = createApiClient(b.url, () => token);

      // A live subscriber on each process.
      const heard = { a: [] as number[], b: [] as number[] };
      let started = 0;
      const subs = (['a', 'b'] as const).map((p) =>
        (p === 'a' ? onA : onB).events.onChange.subscribe(
          { cursor: 0 },
          { onStarted: () => started++, onData: (d) => heard[p].push(d.data.cursor), onError: () => {} },
        ),
      );
      await eventually(() => started === 2, 5000);

      // A bounded load: 6 writers, each at most 60 puts of new records, alternating processes.
      const acked = new Map<string, number>();
      const failureCodes = new Set<string>();
      let stop = false;
      const writer = async (i: number) => {
        for (let n = 0; n < 60 && !stop; n++) {
          const api: ApiClient = (i + n) % 2 ? onA : onB;
          const id = recordId();
          try {
            const res = await api.vault.put.mutate({ container: userId, id, baseRevision: 0, keyEpoch: 0, data: b64(300) });
            acked.set(id, res.revision);
          } catch (e) {
            failureCodes.add(apiError(e).code);
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      };
      const load = Promise.all(Array.from({ length: 6 }, (_, i) => writer(i)));
      await eventually(() => acked.size >= 20, 20_000);
      const before = acked.size;
      await restartPostgres(clusterDir!);
      // Writes go through again after the restart.
      await eventually(() => acked.size >= before + 20, 30_000);
      stop = true;
      await load;

      expect(a.child.exitCode).toBeNull();
      expect(b.child.exitCode).toBeNull();
      // What failed during the restart failed as NETWORK, which the client retries: never INTERNAL.
      expect([...failureCodes].filter((c) => c !== 'NETWORK')).toEqual([]);

      // The clients' next requests succeed, on both processes.
      for (const api of [onA, onB]) expect((await api.account.me.query()).username).toBe('restart');
      // No acknowledged write is lost.
      const seen = new Map<string, number>();
      for (let cursor = 0, more = true; more; ) {
        const page = await onB.vault.containerChanges.query({ container: userId, cursor, limit: 1000 });
        for (const r of page.records) seen.set(r.id, r.revision);
        ({ cursor, more } = page);
      }
      for (const [id, revision] of acked) expect(seen.get(id), id).toBe(revision);

      // Live updates resumed on both processes: a new write reaches both subscribers.
      const last = await onA.vault.put.mutate({ container: userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(40) });
      await eventually(() => heard.a.includes(last.cursor) && heard.b.includes(last.cursor), 15_000);
      for (const s of subs) s.unsubscribe();
      expect(a.output()).not.toMatch(/Unhandled|uncaught/i);
    });
  });
});
