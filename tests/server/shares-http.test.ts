// A share's create, grant and rotate carry a sealed key and a grant for each of up to 2,000 members,
// over the usual 1 MiB request limit: over HTTP they are allowed the larger body, like
// vault.putSnapshot; other calls still are not. Runs on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/deps.ts';
import { b64, createTestDatabase, createTestDeps, databaseName, listen, recordId, signUp, type TestDatabase } from './helpers.ts';

let tdb: TestDatabase;
let deps: Deps;
let server: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = await createTestDeps(tdb.database);
  server = await listen(deps);
});
afterAll(async () => {
  await server.close();
  await tdb.drop();
});

describe(`share requests over HTTP on ${databaseName}`, () => {
  it('lets shares.create send 2,000 members’ keys (over 1 MiB); vault.putMany may not', async () => {
    const { token, userId } = await signUp(deps, 'big-sharer');
    const keys = [{ userId, role: 'grant', sealedKey: b64(108), grant: b64(520) }, ...Array.from({ length: 1999 }, () => ({ userId: recordId(), role: 'read', sealedKey: b64(108), grant: b64(520) }))];
    const body = JSON.stringify({ container: b64(16), roster: b64(600_000), keys });
    expect(body.length).toBeGreaterThan(2 * 1024 * 1024);
    const post = (procedure: string, payload: string) =>
      fetch(`${server.url}/trpc/${procedure}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: payload });
    // Through to the procedure, which refuses strangers as members (not the size).
    const created = await post('shares.create', body);
    expect(created.status).toBe(404);
    expect(((await created.json()) as { error: { data: { appCode: string } } }).error.data.appCode).toBe('NOT_FOUND');
    const records = Array.from({ length: 10 }, () => ({ id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(150_000) }));
    expect((await post('vault.putMany', JSON.stringify({ container: userId, records }))).status).toBe(413);
  });
});
