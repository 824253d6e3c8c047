// A live-updates stream (events.onChange) ends soon after its session ends, even while nothing
// moves: by the feed's notice (across processes on PostgreSQL), from the moment it starts, and
// by a bounded re-check when a notice never comes; and a notice commits with its sign-out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/deps.ts';
import { hashToken } from '../../server/sessions.ts';
import { watch, type Watch } from './stream-fixtures.ts';
import { b64, caller, createTestDatabase, createTestDeps, databaseName, eventually, isPostgres, recordId, signUp, type TestDatabase } from './helpers.ts';

let tdb: TestDatabase;
let deps: Deps;
/** Where the sign-out comes from: another connection to the database (another process) on PostgreSQL. */
let other: Deps;
let n = 0;
const user = (d = deps) => signUp(d, `streams${++n}`);
/** Bounds how long a stream may outlive its session; generous for a loaded machine. */
const ENDS_WITHIN_MS = 5000;

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = await createTestDeps(tdb.database);
  // SQLite serves one process: its feed is in-process, so "another connection" is the same one.
  other = isPostgres ? await createTestDeps(tdb.reopen()) : deps;
});
afterAll(async () => {
  await tdb.drop();
});

async function endsUnauthenticated(w: Watch, label: string) {
  await eventually(() => w.ended(), ENDS_WITHIN_MS).catch(() => {
    throw new Error(`the stream stayed open: ${label}`);
  });
  expect(w.error(), label).toMatchObject({ code: 'UNAUTHORIZED', cause: { code: 'UNAUTHENTICATED' } });
}

/** The positive control: the stream is still open, and live (it hears a write made now). */
async function staysOpen(w: Watch, u: Awaited<ReturnType<typeof user>>) {
  const seen = w.events.length;
  const { cursor } = await u.api.vault.put({ container: u.userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(20) });
  await eventually(() => w.events.length > seen, ENDS_WITHIN_MS);
  expect(w.events.at(-1)!.cursor).toBe(cursor);
  expect(w.ended()).toBe(false);
  await w.stop();
}

const where = isPostgres ? 'through another connection (another process)' : 'in the same process (SQLite is one process)';

describe(`signed-out streams end while idle on ${databaseName}`, () => {
  it(`an idle stream ends after logoutEverywhere ${where}; another account's stays open`, async () => {
    const u = await user();
    const control = await user();
    // Two devices of u, neither stream ever hears anything move.
    const second = await caller(deps).account.login({ username: u.input.username, authKey: u.input.authKey });
    const streams = [await watch(deps, u.token, { cursor: 0 }), await watch(deps, second.token, { cursor: 0 })];
    const kept = await watch(deps, control.token, { cursor: 0 });
    expect(await caller(other, second.token).account.logoutEverywhere()).toEqual({ sessionsEnded: 2 });
    for (const w of streams) await endsUnauthenticated(w, 'after logoutEverywhere');
    for (const w of streams) expect(w.events).toEqual([]);
    await staysOpen(kept, control);
  });

  it(`a password change ${where} ends the other sessions' idle streams; the changer's stays open`, async () => {
    const u = await user();
    const changer = await caller(deps).account.login({ username: u.input.username, authKey: u.input.authKey });
    const ended = await watch(deps, u.token, { cursor: 0 });
    const kept = await watch(deps, changer.token, { cursor: 0 });
    await caller(other, changer.token).account.changePassword({ authKey: u.input.authKey, newAuthKey: b64(32), newSalt: b64(16), newKdf: u.input.kdf, newWrappedUserKey: b64(72) });
    await endsUnauthenticated(ended, 'after changePassword');
    // Its session got the same notice, looked again, and is still signed in.
    await staysOpen(kept, { ...u, api: caller(deps, changer.token) });
  });

  it('a stream signed out between its sign-in check and its start ends', async () => {
    const u = await user();
    const control = await user();
    const w = await watch(deps, u.token, { cursor: 0 }, { start: false });
    const kept = await watch(deps, control.token, { cursor: 0 }, { start: false });
    // The sign-in check has passed; the notice of this logout goes out before the stream listens.
    await caller(other, u.token).account.logoutEverywhere();
    w.start();
    kept.start();
    await endsUnauthenticated(w, 'signed out before the stream started listening');
    await staysOpen(kept, control);
  });

  it('a session that ends without a notice ends its stream within the re-check interval', async () => {
    const recheck = await createTestDeps(tdb.database, { config: { streamSessionRecheckMs: 300 } });
    const u = await user(recheck);
    const control = await user(recheck);
    const w = await watch(recheck, u.token, { cursor: 0 });
    const kept = await watch(recheck, control.token, { cursor: 0 });
    // Positive control first: the stream is live.
    await u.api.vault.put({ container: u.userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(20) });
    await eventually(() => w.events.length === 1, ENDS_WITHIN_MS);
    // Deleted behind the server's back (an operator, a notice lost with its connection): no notice.
    await tdb.database.db.deleteFrom('sessions').where('token_hash', '=', hashToken(u.token)).execute();
    await endsUnauthenticated(w, 'session deleted without a notice');
    await staysOpen(kept, control);
  });

  it('a sign-out whose notice cannot be sent ends nothing, and its retry ends the stream', async () => {
    const database = tdb.reopen();
    const d = await createTestDeps(database);
    const u = await user(d);
    const w = await watch(d, u.token, { cursor: 0 });
    const { feed } = database;
    const send = feed.sessionsEndedInTransaction.bind(feed);
    let failures = 1;
    feed.sessionsEndedInTransaction = async (trx, userId) => {
      if (failures-- > 0) throw new Error('the connection dropped before the notice went out');
      return send(trx, userId);
    };
    await expect(caller(d, u.token).account.logoutEverywhere()).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    // The deletion went with the notice: the session still works, and its stream still hears.
    expect((await caller(d, u.token).account.me()).userId).toBe(u.userId);
    const { cursor } = await u.api.vault.put({ container: u.userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(20) });
    await eventually(() => w.events.at(-1)?.cursor === cursor, ENDS_WITHIN_MS);
    // The client retries: now the sessions end, and so does the stream.
    expect(await caller(d, u.token).account.logoutEverywhere()).toEqual({ sessionsEnded: 1 });
    await endsUnauthenticated(w, 'after the retried logoutEverywhere');
  });
});
