// SECURITY.md 27, at the HTTP level: malformed requests (broken JSON, wrong shapes, wrong methods
// and content types) to every procedure are refused with a 4xx and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/deps.ts';
import { appRouter } from '../../server/routers/_app.ts';
import { b64, createTestDatabase, createTestDeps, databaseName, listen, recordId, signUp, snapshot, type TestDatabase } from './helpers.ts';

let tdb: TestDatabase;
let deps: Deps;
let alice: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = await createTestDeps(tdb.database);
  alice = await signUp(deps, 'alice');
  // Something for a wrongly accepted call to change.
  await alice.api.vault.put({ container: alice.userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(40) });
  await alice.api.vault.putSnapshot({ data: b64(64) });
});
afterAll(async () => {
  await tdb.drop();
});

describe(`malformed HTTP requests on ${databaseName}`, () => {
  it('refuses malformed HTTP requests to every procedure and changes nothing', async () => {
    const http = await listen(deps);
    try {
      const before = await snapshot(tdb.database);
      const auth = { authorization: `Bearer ${alice.token}` };
      for (const name of Object.keys(appRouter._def.procedures)) {
        const type = (appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)[name]!._def.type;
        const url = `${http.url}/trpc/${name}`;
        if (type === 'subscription') {
          // Server-sent events answer 200 and report the error as an event, then end the stream.
          for (const input of ['%7Bnot-json', encodeURIComponent('{"cursor":-1}'), encodeURIComponent('"x"')]) {
            const res = await fetch(`${url}?input=${input}`, { headers: { ...auth, accept: 'text/event-stream' }, signal: AbortSignal.timeout(5000) });
            const body = await res.text();
            expect(body, name).toMatch(/event: serialized-error/);
            expect(body, name).toMatch(/"code":"BAD_REQUEST"/);
            expect(body, name).toMatch(/"appCode":"BAD_INPUT"/);
          }
          continue;
        }
        const attempts: Promise<Response>[] =
          type === 'mutation'
            ? [
                fetch(url, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"records":[' }),
                fetch(url, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: 'null' }),
                fetch(url, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: '\u0000\u0001' }),
                fetch(`${url}?batch=1`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"0":"x","1":[]}' }),
                fetch(url, { method: 'GET', headers: auth }),
              ]
            : [
                fetch(`${url}?input=%7Bnot-json`, { headers: auth }),
                fetch(`${url}?input=${encodeURIComponent('[1,2,3]')}`, { headers: auth }),
                fetch(`${url}?batch=1&input=${encodeURIComponent('{"0":{"cursor":-5}}')}`, { headers: auth }),
                fetch(url, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' }),
              ];
        for (const res of await Promise.all(attempts)) {
          const body = await res.text();
          expect(res.status, `${name}: ${body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
          expect(res.status, `${name}: ${body.slice(0, 200)}`).toBeLessThan(500);
        }
      }
      expect(await snapshot(tdb.database)).toEqual(before);
    } finally {
      await http.close();
    }
  });
});
