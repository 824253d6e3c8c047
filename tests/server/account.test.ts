import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors.ts';
import type { Deps } from '../../server/deps.ts';
import { caller, createClock, createTestDatabase, createTestDeps, databaseName, registration, signUp, b64, type Clock, type TestDatabase } from './helpers.ts';

/** Run fn and return the TRPCError it throws, with its AppError code. */
async function failure(fn: () => Promise<unknown>): Promise<{ code: string; appCode: string | undefined; message: string; error: TRPCError }> {
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return { code: e.code, appCode: e.cause instanceof AppError ? e.cause.code : undefined, message: e.message, error: e };
  }
  throw new Error('expected the call to fail');
}

let tdb: TestDatabase;
let deps: Deps;
let clock: Clock;
let n = 0;
const uniqueName = (base = 'user') => `${base}${++n}`;

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb.drop();
});
beforeEach(async () => {
  clock = createClock();
  deps = await createTestDeps(tdb.database, { clock });
});

describe(`account on ${databaseName}`, () => {
  describe('preLogin', () => {
    it('returns the registered parameters and salt', async () => {
      const name = uniqueName();
      const input = registration(name);
      input.kdf = { algorithm: 'argon2id', memoryKiB: 131072, passes: 4, lanes: 2 };
      await caller(deps).account.register(input);
      const pre = await caller(deps).account.preLogin({ username: name.toUpperCase() });
      expect(pre).toEqual({ kdf: input.kdf, salt: input.salt });
    });

    it('answers an unknown username with the same shape, stable and not telling', async () => {
      const known = await signUp(deps, uniqueName());
      const a = await caller(deps).account.preLogin({ username: 'nobody-here' });
      const b = await caller(deps).account.preLogin({ username: 'nobody-here' });
      const other = await caller(deps).account.preLogin({ username: 'someone-else' });
      const real = await caller(deps).account.preLogin({ username: known.input.username });
      expect(a).toEqual(b);
      expect(a.salt).not.toEqual(other.salt);
      expect(a.kdf).toEqual({ algorithm: 'argon2id', memoryKiB: 65536, passes: 3, lanes: 4 });
      expect(Object.keys(a).sort()).toEqual(Object.keys(real).sort());
      expect(a.salt).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(a.salt.length).toBe(real.salt.length);
      // Another process (same database, its own deps) gives the same decoy.
      const otherProcess = await createTestDeps(tdb.reopen());
      expect(await caller(otherProcess).account.preLogin({ username: 'nobody-here' })).toEqual(a);
    });
  });

  describe('register', () => {
    it('creates the account and a working session', async () => {
      const name = uniqueName();
      const { token, userId, expiresAt } = await caller(deps).account.register({ ...registration(name), deviceName: 'Laptop' });
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(expiresAt).toBe(clock.now() + 30 * 24 * 3600_000);
      const me = await caller(deps, token).account.me();
      expect(me).toMatchObject({ userId, username: name, email: `${name}@example.com`, cursor: 0, session: { deviceName: 'Laptop' } });
    });

    it('stores neither the auth key nor the token', async () => {
      const { token, input } = await signUp(deps, uniqueName());
      const dump = JSON.stringify(await tdb.database.db.selectFrom('users').selectAll().execute()) +
        JSON.stringify(await tdb.database.db.selectFrom('sessions').selectAll().execute());
      expect(dump).not.toContain(input.authKey);
      expect(dump).not.toContain(token);
    });

    it('refuses key derivation below 64 MiB or 3 passes', async () => {
      for (const kdf of [
        { ...registration('x').kdf, memoryKiB: 65535 },
        { ...registration('x').kdf, passes: 2 },
        { ...registration('x').kdf, memoryKiB: 19456, passes: 2 },
      ]) {
        const name = uniqueName();
        const f = await failure(() => caller(deps).account.register({ ...registration(name), kdf }));
        expect(f).toMatchObject({ code: 'BAD_REQUEST', appCode: 'WEAK_KDF_PARAMS' });
        expect(await tdb.database.db.selectFrom('users').select('id').where('username', '=', name).executeTakeFirst()).toBeUndefined();
      }
    });

    it('refuses a username that is taken, whatever the case; an email is no reason to refuse', async () => {
      const name = uniqueName();
      await signUp(deps, name);
      const again = await failure(() => caller(deps).account.register(registration(name.toUpperCase())));
      expect(again).toMatchObject({ code: 'CONFLICT', appCode: 'CONFLICT' });
      expect(again.message).toMatch(/username is taken/);
      const sameEmail = await caller(deps).account.register({ ...registration(uniqueName()), email: `${name}@EXAMPLE.com` });
      expect(sameEmail.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await caller(deps, sameEmail.token).account.me()).emailConfirmed).toBe(false);
    });
  });

  describe('login', () => {
    it('returns a new session and everything a new device needs', async () => {
      const { input, userId } = await signUp(deps, uniqueName());
      const res = await caller(deps).account.login({ username: input.username, authKey: input.authKey, deviceName: 'Phone' });
      expect(res).toMatchObject({
        userId,
        salt: input.salt,
        kdf: input.kdf,
        wrappedUserKey: input.wrappedUserKey,
        identity: input.identity,
      });
      expect((await caller(deps, res.token).account.me()).session.deviceName).toBe('Phone');
    });

    it('refuses a wrong auth key and an unknown username with the same answer', async () => {
      const { input } = await signUp(deps, uniqueName());
      const wrong = await failure(() => caller(deps).account.login({ username: input.username, authKey: b64(32) }));
      const unknown = await failure(() => caller(deps).account.login({ username: 'no-such-user', authKey: b64(32) }));
      expect(wrong).toMatchObject({ code: 'UNAUTHORIZED', appCode: 'WRONG_PASSWORD' });
      expect(unknown.code).toBe(wrong.code);
      expect(unknown.appCode).toBe(wrong.appCode);
      expect(unknown.message).toBe(wrong.message);
    });

    it('failures from anywhere never lock the owner out: from its own address at once, from a new one after seconds', async () => {
      const { input } = await signUp(deps, uniqueName());
      const owner = '203.0.113.9';
      await caller(deps, null, owner).account.login({ username: input.username, authKey: input.authKey });
      const other = await createTestDeps(tdb.reopen(), { clock });
      const results: string[] = [];
      for (let i = 0; i < 30; i++) {
        // Alternate "processes" and addresses: the per-account count is shared by all of them.
        const d = i % 2 ? other : deps;
        results.push((await failure(() => caller(d, null, `10.0.0.${i}`).account.login({ username: input.username, authKey: b64(32) }))).appCode!);
      }
      // Ten failures, then one try per pace delay (the clock stands still here): one more.
      expect(results.filter((c) => c === 'WRONG_PASSWORD')).toHaveLength(11);
      expect(results.filter((c) => c === 'RATE_LIMITED')).toHaveLength(19);
      // The owner, from an address the account signed in from, with the right password: in at once.
      await expect(caller(deps, null, owner).account.login({ username: input.username, authKey: input.authKey })).resolves.toHaveProperty('token');
      // From a new address: a wait of seconds (up to a minute), never the 15-minute window.
      const paced = await failure(() => caller(deps, null, '10.0.1.1').account.login({ username: input.username, authKey: input.authKey }));
      expect(paced).toMatchObject({ code: 'TOO_MANY_REQUESTS', appCode: 'RATE_LIMITED' });
      expect(paced.message).toMatch(/new devices must wait between tries\. Wait \d+ seconds/);
      const retryAfterSeconds = (paced.error.cause as { details?: { retryAfterSeconds?: number } }).details!.retryAfterSeconds!;
      expect(retryAfterSeconds).toBeGreaterThan(0);
      expect(retryAfterSeconds).toBeLessThanOrEqual(60);
      clock.advance(retryAfterSeconds * 1000);
      await expect(caller(deps, null, '10.0.1.1').account.login({ username: input.username, authKey: input.authKey })).resolves.toHaveProperty('token');
    });

    it('refuses an address after 10 failures at one account, for 15 minutes, and no one else', async () => {
      const { input } = await signUp(deps, uniqueName());
      await caller(deps, null, '203.0.113.10').account.login({ username: input.username, authKey: input.authKey });
      for (let i = 0; i < 10; i++) {
        expect((await failure(() => caller(deps, null, '198.18.0.1').account.login({ username: input.username, authKey: b64(32) }))).appCode).toBe('WRONG_PASSWORD');
      }
      const limited = await failure(() => caller(deps, null, '198.18.0.1').account.login({ username: input.username, authKey: input.authKey }));
      expect(limited.appCode).toBe('RATE_LIMITED');
      expect(limited.message).toMatch(/for this account from your network address\. Wait 15 minutes/);
      expect((limited.error.cause as { details?: { retryAfterSeconds?: number } }).details?.retryAfterSeconds).toBe(900);
      await expect(caller(deps, null, '203.0.113.10').account.login({ username: input.username, authKey: input.authKey })).resolves.toHaveProperty('token');
      clock.advance(15 * 60_000 + 1);
      await expect(caller(deps, null, '198.18.0.1').account.login({ username: input.username, authKey: input.authKey })).resolves.toHaveProperty('token');
    });

    it('counts an IPv6 /64 as one address, and an IPv4-mapped address as the IPv4 one', async () => {
      const { input } = await signUp(deps, uniqueName());
      for (let i = 0; i < 50; i++) {
        const ip = i % 2 ? `2001:db8:7:9::${(i + 1).toString(16)}` : `2001:0db8:0007:0009:${i.toString(16)}::1`;
        await failure(() => caller(deps, null, ip).account.login({ username: `v6guess${i}`, authKey: b64(32) }));
      }
      const limited = await failure(() => caller(deps, null, '2001:db8:7:9:ffff::1234').account.login({ username: input.username, authKey: input.authKey }));
      expect(limited.appCode).toBe('RATE_LIMITED');
      await expect(caller(deps, null, '2001:db8:7:a::1').account.login({ username: input.username, authKey: input.authKey })).resolves.toHaveProperty('token');

      for (let i = 0; i < 50; i++) {
        const ip = i % 2 ? '192.0.2.200' : '::ffff:192.0.2.200';
        await failure(() => caller(deps, null, ip).account.login({ username: `v4guess${i}`, authKey: b64(32) }));
      }
      expect((await failure(() => caller(deps, null, '::ffff:c000:2c8').account.login({ username: input.username, authKey: input.authKey }))).appCode).toBe('RATE_LIMITED');
    });

    it('does not let one account’s good sign-ins make room for guesses at others from the same address', async () => {
      const mine = await signUp(deps, uniqueName());
      const ip = '192.0.2.150';
      const outcomes: string[] = [];
      for (let i = 0; i < 60; i++) {
        outcomes.push((await failure(() => caller(deps, null, ip).account.login({ username: `victim${i}`, authKey: b64(32) }))).appCode!);
        await caller(deps, null, ip).account.login({ username: mine.input.username, authKey: mine.input.authKey }).catch(() => {});
      }
      expect(outcomes.filter((c) => c === 'WRONG_PASSWORD')).toHaveLength(50);
      expect(outcomes.slice(50).every((c) => c === 'RATE_LIMITED')).toBe(true);
    });

    it('counts only failures: successful sign-ins do not use up the limit', async () => {
      const { input } = await signUp(deps, uniqueName());
      for (let i = 0; i < 15; i++) await caller(deps).account.login({ username: input.username, authKey: input.authKey });
      for (let i = 0; i < 9; i++) await failure(() => caller(deps).account.login({ username: input.username, authKey: b64(32) }));
      await expect(caller(deps).account.login({ username: input.username, authKey: input.authKey })).resolves.toHaveProperty('token');
    });

    it('limits failed attempts per address, whatever usernames they try', async () => {
      const { input } = await signUp(deps, uniqueName());
      const ip = '192.0.2.77';
      for (let i = 0; i < 50; i++) {
        await failure(() => caller(deps, null, ip).account.login({ username: `guess${i}`, authKey: b64(32) }));
      }
      const limited = await failure(() => caller(deps, null, ip).account.login({ username: input.username, authKey: input.authKey }));
      expect(limited.appCode).toBe('RATE_LIMITED');
      expect(limited.message).toMatch(/from your network address/);
      // Another address is not affected.
      await expect(caller(deps, null, '192.0.2.78').account.login({ username: input.username, authKey: input.authKey })).resolves.toHaveProperty('token');
    });

    it('lets exactly 11 of 40 simultaneous wrong guesses from 40 addresses through to the check (10, then one per pace delay)', async () => {
      const { input } = await signUp(deps, uniqueName());
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => failure(() => caller(deps, null, `198.51.100.${i}`).account.login({ username: input.username, authKey: b64(32) }))),
      );
      expect(results.filter((r) => r.appCode === 'WRONG_PASSWORD')).toHaveLength(11);
      expect(results.filter((r) => r.appCode === 'RATE_LIMITED')).toHaveLength(29);
    });
  });

  describe('sessions', () => {
    it('refuses calls without a token or with an unknown one', async () => {
      expect((await failure(() => caller(deps).account.me())).appCode).toBe('UNAUTHENTICATED');
      expect((await failure(() => caller(deps, b64(32)).account.me())).code).toBe('UNAUTHORIZED');
    });

    it('expire after their lifetime, and the expired row is deleted', async () => {
      const { token, api } = await signUp(deps, uniqueName());
      clock.advance(30 * 24 * 3600_000 - 1000);
      await expect(api.account.me()).resolves.toBeTruthy();
      clock.advance(1000);
      const f = await failure(() => caller(deps, token).account.me());
      expect(f).toMatchObject({ code: 'UNAUTHORIZED', appCode: 'UNAUTHENTICATED' });
      expect(f.message).toBe('Your session has expired or ended. Sign in again.');
      const { hashToken } = await import('../../server/sessions.ts');
      expect(await tdb.database.db.selectFrom('sessions').select('user_id').where('token_hash', '=', hashToken(token)).executeTakeFirst()).toBeUndefined();
    });

    it('honours a configured lifetime', async () => {
      const short = await createTestDeps(tdb.database, { clock, config: { sessionTtlMs: 60_000 } });
      const { api } = await signUp(short, uniqueName());
      clock.advance(60_000);
      expect((await failure(() => api.account.me())).appCode).toBe('UNAUTHENTICATED');
    });

    it('refreshes last-seen at most every few minutes', async () => {
      const { token, api } = await signUp(deps, uniqueName());
      const { hashToken } = await import('../../server/sessions.ts');
      const lastSeen = async () =>
        (await tdb.database.db.selectFrom('sessions').select('last_seen_at').where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow()).last_seen_at;
      const start = await lastSeen();
      clock.advance(60_000);
      await api.account.me();
      expect(await lastSeen()).toBe(start);
      clock.advance(5 * 60_000);
      await api.account.me();
      expect(await lastSeen()).toBe(clock.now());
    });

    it('logout ends only this session', async () => {
      const { input, token, api } = await signUp(deps, uniqueName());
      const second = await caller(deps).account.login({ username: input.username, authKey: input.authKey });
      await api.account.logout();
      expect((await failure(() => caller(deps, token).account.me())).appCode).toBe('UNAUTHENTICATED');
      await expect(caller(deps, second.token).account.me()).resolves.toBeTruthy();
    });

    it('logoutEverywhere ends every session of the user and no one else’s', async () => {
      const alice = await signUp(deps, uniqueName());
      const bob = await signUp(deps, uniqueName());
      const other = await caller(deps).account.login({ username: alice.input.username, authKey: alice.input.authKey });
      expect(await alice.api.account.logoutEverywhere()).toEqual({ sessionsEnded: 2 });
      expect((await failure(() => alice.api.account.me())).appCode).toBe('UNAUTHENTICATED');
      expect((await failure(() => caller(deps, other.token).account.me())).appCode).toBe('UNAUTHENTICATED');
      await expect(bob.api.account.me()).resolves.toBeTruthy();
    });
  });

  describe('changePassword', () => {
    const change = (authKey: string) => ({
      authKey,
      newAuthKey: b64(32),
      newSalt: b64(16),
      newKdf: { algorithm: 'argon2id' as const, memoryKiB: 98304, passes: 3, lanes: 4 },
      newWrappedUserKey: b64(72),
    });

    it('re-wraps the user key, switches the auth key and ends the other sessions', async () => {
      const { input, token, api } = await signUp(deps, uniqueName());
      const other = await caller(deps).account.login({ username: input.username, authKey: input.authKey });
      const next = change(input.authKey);
      expect(await api.account.changePassword(next)).toEqual({ sessionsEnded: 1 });
      await expect(caller(deps, token).account.me()).resolves.toBeTruthy();
      expect((await failure(() => caller(deps, other.token).account.me())).appCode).toBe('UNAUTHENTICATED');
      expect((await failure(() => caller(deps).account.login({ username: input.username, authKey: input.authKey }))).appCode).toBe('WRONG_PASSWORD');
      const login = await caller(deps).account.login({ username: input.username, authKey: next.newAuthKey });
      expect(login).toMatchObject({ salt: next.newSalt, kdf: next.newKdf, wrappedUserKey: next.newWrappedUserKey, identity: input.identity });
      expect(await caller(deps).account.preLogin({ username: input.username })).toEqual({ kdf: next.newKdf, salt: next.newSalt });
    });

    it('refuses a wrong current auth key and changes nothing', async () => {
      const { input, api } = await signUp(deps, uniqueName());
      const f = await failure(() => api.account.changePassword(change(b64(32))));
      expect(f).toMatchObject({ code: 'UNAUTHORIZED', appCode: 'WRONG_PASSWORD' });
      await expect(caller(deps).account.login({ username: input.username, authKey: input.authKey })).resolves.toHaveProperty('token');
    });

    it('refuses weak new key derivation', async () => {
      const { input, api } = await signUp(deps, uniqueName());
      const f = await failure(() => api.account.changePassword({ ...change(input.authKey), newKdf: { ...registration('x').kdf, passes: 1 } }));
      expect(f.appCode).toBe('WEAK_KDF_PARAMS');
    });

    it('every account procedure that acts on an account needs a session', async () => {
      const anon = caller(deps, b64(32));
      for (const call of [
        () => anon.account.me(),
        () => anon.account.logout(),
        () => anon.account.logoutEverywhere(),
        () => anon.account.confirmEmail({ code: '12345678' }),
        () => anon.account.resendEmailCode(),
        () => anon.account.changeEmail({ email: 'someone@example.com' }),
        () => anon.account.changePassword({ authKey: b64(32), newAuthKey: b64(32), newSalt: b64(16), newKdf: { algorithm: 'argon2id', memoryKiB: 65536, passes: 3, lanes: 4 }, newWrappedUserKey: b64(72) }),
      ]) {
        expect((await failure(call)).appCode).toBe('UNAUTHENTICATED');
      }
    });

    it('needs a session', async () => {
      expect((await failure(() => caller(deps).account.changePassword(change(b64(32))))).appCode).toBe('UNAUTHENTICATED');
    });
  });
});
