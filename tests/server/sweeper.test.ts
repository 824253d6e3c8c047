// Expired sessions and rate-limit rows go on a schedule, not only when someone signs in; the
// sweep is idempotent across processes and stops with the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSweeper, sweepExpired } from '../../server/sweeper.ts';
import { b64, caller, createClock, createTestDatabase, createTestDeps, databaseName, eventually, signUp, type TestDatabase } from './helpers.ts';

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb.drop();
});

describe(`the sweeper on ${databaseName}`, () => {
  it('removes expired rate-limit rows and sessions on its schedule, with no sign-in, from any process', async () => {
    const clock = createClock();
    const deps = await createTestDeps(tdb.database, { clock, config: { sessionTtlMs: 60 * 60_000 } });
    const kept = await signUp(deps, 'sweep-kept');
    const gone = await signUp(deps, 'sweep-gone');
    for (let i = 0; i < 20; i++) await caller(deps, null, `10.1.0.${i}`).account.login({ username: `nobody${i}`, authKey: b64(32) }).catch(() => {});
    const count = async (table: 'rate_limits' | 'sessions') =>
      Number((await tdb.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count('rate_limits')).toBeGreaterThanOrEqual(40);

    // Past the rate-limit window and gone's session expiry; kept signs in again (a fresh session).
    clock.advance(61 * 60_000);
    const fresh = await caller(deps).account.login({ username: 'sweep-kept', authKey: kept.input.authKey });
    const { db } = tdb.database;
    await db.updateTable('rate_limits').set({ expires_at: clock.now() + 60_000 }).where('key', 'like', 'login-known:%').execute();

    const other = await createTestDeps(tdb.reopen(), { clock });
    const sweepers = [startSweeper(deps, 20), startSweeper(other, 20)];
    try {
      await eventually(async () => (await db.selectFrom('rate_limits').select('expires_at').execute()).every((r) => r.expires_at > clock.now()), 5000);
    } finally {
      for (const s of sweepers) await s.stop();
    }
    expect(await count('rate_limits')).toBeLessThan(10);
    // What is not expired stays: the fresh session, and the rows the fresh sign-in wrote.
    const sessions = await db.selectFrom('sessions').select(['user_id', 'expires_at']).execute();
    expect(sessions.every((s) => s.expires_at > clock.now())).toBe(true);
    expect(sessions.map((s) => s.user_id)).toContain(kept.userId);
    expect(sessions.map((s) => s.user_id)).not.toContain(gone.userId);
    expect((await caller(deps, fresh.token).account.me()).username).toBe('sweep-kept');
    const left = await db.selectFrom('rate_limits').select(['key', 'expires_at']).execute();
    expect(left.every((r) => r.expires_at > clock.now())).toBe(true);
  });

  it('stops: no sweep runs after stop()', async () => {
    const clock = createClock();
    const deps = await createTestDeps(tdb.database, { clock });
    const { db } = tdb.database;
    const sweeper = startSweeper(deps, 20);
    await sweeper.stop();
    await db.insertInto('rate_limits').values({ key: 'stale-after-stop', window_start: 0, count: 1, expires_at: 1 }).execute();
    // Positive control: a sweep now would remove it.
    const probe = startSweeper(deps, 20);
    await eventually(async () => !(await db.selectFrom('rate_limits').select('key').where('key', '=', 'stale-after-stop').executeTakeFirst()), 3000);
    await probe.stop();
    await db.insertInto('rate_limits').values({ key: 'stale-after-stop-2', window_start: 0, count: 1, expires_at: 1 }).execute();
    await new Promise((r) => setTimeout(r, 100));
    expect(await db.selectFrom('rate_limits').select('key').where('key', '=', 'stale-after-stop-2').executeTakeFirst()).toBeDefined();
    await sweepExpired(deps);
    expect(await db.selectFrom('rate_limits').select('key').where('key', '=', 'stale-after-stop-2').executeTakeFirst()).toBeUndefined();
  });
});
