// kill -9 the server during a burst of writes: every write the client saw acknowledged is there
// after a restart on the same database.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../lib/api/client.ts';
import { b64, createTestDatabase, databaseName, recordId, registration, startServerProcess, type TestDatabase } from './helpers.ts';

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb.drop();
});

const digest = (s: string) => createHash('sha256').update(s).digest('hex');

describe(`durability on ${databaseName}`, () => {
  it('keeps every acknowledged write through kill -9', { timeout: 120_000 }, async () => {
    const first = await startServerProcess(tdb.env);
    const input = registration('durable');
    const anon = createApiClient(first.url, () => null);
    const { token, userId } = await anon.account.register.mutate(input);
    const api = createApiClient(first.url, () => token);

    // Acknowledged state per record: the revision the server confirmed and a digest of its data.
    const acked = new Map<string, { revision: number; digest: string }>();
    let attempted = 0;
    let failures = 0;
    let stop = false;

    // Writers that create records, and writers that keep updating one record each.
    const creators = Array.from({ length: 12 }, async () => {
      while (!stop) {
        const id = recordId();
        const data = b64(200 + Math.floor(Math.random() * 2000));
        attempted++;
        try {
          const res = await api.vault.put.mutate({ container: userId, id, baseRevision: 0, keyEpoch: 0, data });
          acked.set(id, { revision: res.revision, digest: digest(data) });
        } catch {
          failures++;
          return;
        }
      }
    });
    const updaters = Array.from({ length: 4 }, async () => {
      const id = recordId();
      let revision = 0;
      while (!stop) {
        const data = b64(500);
        attempted++;
        try {
          const res = await api.vault.put.mutate({ container: userId, id, baseRevision: revision, keyEpoch: 0, data });
          revision = res.revision;
          acked.set(id, { revision, digest: digest(data) });
        } catch {
          failures++;
          return;
        }
      }
    });
    const batches = (async () => {
      while (!stop) {
        const records = Array.from({ length: 20 }, () => ({ id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(300) }));
        attempted += records.length;
        try {
          const res = await api.vault.putMany.mutate({ container: userId, records });
          for (const [i, r] of res.results.entries()) if (r.status === 'ok') acked.set(r.id, { revision: r.revision, digest: digest(records[i]!.data) });
        } catch {
          failures++;
          return;
        }
      }
    })();

    // Let the burst run, then kill the server mid-flight.
    let writersDone = false;
    const writers = Promise.all([...creators, ...updaters, batches]).then(() => (writersDone = true));
    const deadline = Date.now() + 15_000;
    while (acked.size < 200 && !writersDone && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(writersDone, 'writers stopped before the kill').toBe(false);
    await first.kill9();
    stop = true;
    await writers;
    expect(acked.size).toBeGreaterThan(20);
    expect(failures).toBeGreaterThan(0); // requests were in flight when it died
    const snapshot = new Map(acked);

    const second = await startServerProcess(tdb.env);
    try {
      const after = createApiClient(second.url, () => token);
      const stored = new Map<string, { revision: number; digest: string }>();
      let cursor = 0;
      for (let more = true; more; ) {
        const page = await after.vault.containerChanges.query({ container: userId, cursor, limit: 1000 });
        for (const r of page.records) stored.set(r.id, { revision: r.revision, digest: digest(r.data) });
        ({ cursor, more } = page);
      }
      const missing: string[] = [];
      for (const [id, a] of snapshot) {
        const s = stored.get(id);
        if (!s || s.revision < a.revision || (s.revision === a.revision && s.digest !== a.digest)) missing.push(id);
      }
      console.log(
        `[${databaseName}] durability: ${attempted} writes attempted, ${snapshot.size} records acknowledged, ${stored.size} stored after kill -9, ${missing.length} acknowledged writes missing`,
      );
      expect(missing).toEqual([]);
      // The log never holds a token or an auth key.
      for (const out of [first.output(), second.output()]) {
        expect(out).not.toContain(token);
        expect(out).not.toContain(input.authKey);
        expect(out.trim().split('\n').filter((l) => l.includes('listening on'))).toHaveLength(1);
      }
    } finally {
      await second.stop();
    }
  });
});
