// The fast road for plain GET queries (server/fast-query.ts) must answer exactly as tRPC's own
// handler does, and hand everything else to it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/deps.ts';
import { TRPCError } from '@trpc/server';
import { directQueriesOf } from '../../server/direct-query.ts';
import { ServerError } from '../../server/errors.ts';
import { appRouter, directQueries } from '../../server/routers/_app.ts';
import { changesQuery } from '../../server/routers/vault.ts';
import { hashToken } from '../../server/sessions.ts';
import { authedProcedure, signedIn, signedInMiddleware } from '../../server/trpc.ts';
import { b64, createClock, createTestDatabase, createTestDeps, databaseName, listen, recordId, signUp, type Clock, type TestDatabase } from './helpers.ts';

let tdb: TestDatabase;
let clock: Clock;
let deps: Deps;
let http: Awaited<ReturnType<typeof listen>>;
let alice: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  clock = createClock();
  deps = await createTestDeps(tdb.database, { clock });
  http = await listen(deps);
  alice = await signUp(deps, 'fastalice');
  for (let i = 0; i < 3; i++) await alice.api.vault.put({ container: alice.userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(30) });
});
afterAll(async () => {
  await http.close();
  await tdb.drop();
});

const q = (input: unknown) => encodeURIComponent(JSON.stringify(input));

/** The same request twice: as sent (fast road) and with a parameter only tRPC ignores (its own road). */
async function both(path: string, headers: Record<string, string> = {}) {
  const fast = await fetch(`${http.url}${path}`, { headers });
  const slow = await fetch(`${http.url}${path}${path.includes('?') ? '&' : '?'}via=trpc`, { headers });
  return {
    fast: { status: fast.status, body: await fast.text(), type: fast.headers.get('content-type'), csp: fast.headers.get('content-security-policy') },
    slow: { status: slow.status, body: await slow.text(), type: slow.headers.get('content-type'), csp: slow.headers.get('content-security-policy') },
  };
}

describe(`fast road for queries on ${databaseName}`, () => {
  it('answers successful queries byte for byte like tRPC, single and batched', async () => {
    const auth = { authorization: `Bearer ${alice.token}` };
    for (const path of [
      `/trpc/vault.changes?input=${q({ cursor: 0 })}`,
      `/trpc/vault.changes?input=${q({ cursor: 1, limit: 1 })}`,
      `/trpc/vault.changes?input=${q({ cursor: 3 })}`,
      `/trpc/vault.changes?input=${q({ cursor: 99 })}`,
      `/trpc/vault.changes?input=${q({ cursor: 2, extra: 'ignored' })}`,
      `/trpc/account.me`,
      `/trpc/account.preLogin?input=${q({ username: 'fastalice' })}`,
      `/trpc/account.preLogin?input=${q({ username: 'nobody-at-all' })}`,
      `/trpc/vault.changes,account.me?batch=1&input=${q({ 0: { cursor: 2 } })}`,
      `/trpc/vault.changes?batch=1&input=${q({ 0: { cursor: 0, limit: 2 } })}`,
      `/trpc/vault.containerChanges?input=${q({ container: alice.userId, cursor: 0 })}`,
      `/trpc/vault.containerChanges?input=${q({ container: alice.userId, cursor: 1, limit: 1 })}`,
      `/trpc/vault.containerChanges?input=${q({ container: alice.userId, cursor: 3 })}`,
      `/trpc/vault.changes,vault.containerChanges?batch=1&input=${q({ 0: { cursor: 0 }, 1: { container: alice.userId, cursor: 2 } })}`,
    ]) {
      const { fast, slow } = await both(path, auth);
      expect(fast.status, path).toBe(200);
      expect(fast, path).toEqual(slow);
    }
  });

  it('takes the direct route for vault.changes, and only on the fast road', async () => {
    const original = directQueries['vault.changes']!;
    let calls = 0;
    directQueries['vault.changes'] = (ctx, input) => {
      calls++;
      return original(ctx, input);
    };
    try {
      const auth = { authorization: `Bearer ${alice.token}` };
      await both(`/trpc/vault.changes?input=${q({ cursor: 0 })}`, auth);
      expect(calls).toBe(1);
      await both(`/trpc/vault.changes,vault.changes?batch=1&input=${q({ 0: { cursor: 0 }, 1: { cursor: 2 } })}`, auth);
      expect(calls).toBe(3);
    } finally {
      directQueries['vault.changes'] = original;
    }
  });

  it('leaves errors to tRPC, which answers them as always', async () => {
    for (const [path, headers, status] of [
      [`/trpc/vault.changes?input=${q({ cursor: 0 })}`, {}, 401],
      [`/trpc/vault.changes?input=${q({ cursor: 0 })}`, { authorization: `Bearer ${b64(32)}` }, 401],
      [`/trpc/vault.changes?input=${q({ cursor: -1 })}`, { authorization: `Bearer ${alice.token}` }, 400],
      [`/trpc/vault.changes?input=%7Bbroken`, { authorization: `Bearer ${alice.token}` }, 400],
      // Another user's container (or one that does not exist): the direct route hands over, tRPC says NOT_FOUND.
      [`/trpc/vault.containerChanges?input=${q({ container: b64(16), cursor: 0 })}`, { authorization: `Bearer ${alice.token}` }, 404],
      [`/trpc/vault.containerChanges?input=${q({ container: alice.userId, cursor: 0 })}`, {}, 401],
      [`/trpc/account.preLogin?input=${q({ username: 7 })}`, {}, 400],
      [`/trpc/vault.put?input=${q({})}`, { authorization: `Bearer ${alice.token}` }, 405],
      [`/trpc/no.such?input=${q({})}`, {}, 404],
    ] as const) {
      const { fast, slow } = await both(path, headers);
      expect(fast.status, path).toBe(status);
      expect(fast, path).toEqual(slow);
      expect(JSON.parse(fast.body).error.data.appCode, path).toBeTruthy();
    }
  });

  describe('sessions on the direct route of vault.changes', () => {
    const changes = (token: string, cursor: number) =>
      fetch(`${http.url}/trpc/vault.changes?input=${q({ cursor })}`, { headers: { authorization: `Bearer ${token}` } });
    const sessionRow = (token: string) =>
      tdb.database.db.selectFrom('sessions').select(['last_seen_at']).where('token_hash', '=', hashToken(token)).executeTakeFirst();

    it('refreshes last-seen through authenticate when it is due', async () => {
      const bob = await signUp(deps, `fastbob${recordId().toLowerCase().replace(/[^a-z0-9]/g, '')}`);
      const start = (await sessionRow(bob.token))!.last_seen_at;
      clock.advance(60_000);
      expect((await changes(bob.token, 0)).status).toBe(200);
      expect((await sessionRow(bob.token))!.last_seen_at).toBe(start);
      clock.advance(5 * 60_000);
      expect((await changes(bob.token, 0)).status).toBe(200);
      expect((await sessionRow(bob.token))!.last_seen_at).toBe(clock.now());
    });

    it('refuses an expired session and deletes it', async () => {
      const carol = await signUp(deps, `fastcarol${recordId().toLowerCase().replace(/[^a-z0-9]/g, '')}`);
      expect((await changes(carol.token, 0)).status).toBe(200);
      clock.advance(deps.config.sessionTtlMs);
      const res = await changes(carol.token, 0);
      expect(res.status).toBe(401);
      expect((await res.json()).error.data.appCode).toBe('UNAUTHENTICATED');
      expect(await sessionRow(carol.token)).toBeUndefined();
    });

    it('refuses a session from the moment it is logged out', async () => {
      const dave = await signUp(deps, `fastdave${recordId().toLowerCase().replace(/[^a-z0-9]/g, '')}`);
      expect((await changes(dave.token, 0)).status).toBe(200);
      await dave.api.account.logout();
      expect((await changes(dave.token, 0)).status).toBe(401);
    });

    it('sees a write at once: the head read with the session bounds every record', async () => {
      const erin = await signUp(deps, `fasterin${recordId().toLowerCase().replace(/[^a-z0-9]/g, '')}`);
      const idle = await (await changes(erin.token, 0)).json();
      expect(idle.result.data).toEqual({ cursor: 0, containers: [] });
      const { cursor } = await erin.api.vault.put({ container: erin.userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(30) });
      const after = await (await changes(erin.token, 0)).json();
      expect(after.result.data).toEqual({ cursor: 1, containers: [{ id: erin.userId, kind: 'personal', head: cursor, epoch: 0, role: 'owner', accepted: true, rotationDue: false }] });
      expect((await (await changes(erin.token, 1)).json()).result.data).toEqual({ cursor: 1, containers: [] });
    });
  });

  describe('one definition for both roads of vault.changes', () => {
    // A session of its own: the session tests above move the clock past alice's expiry.
    let gina: Awaited<ReturnType<typeof signUp>>;
    beforeAll(async () => {
      gina = await signUp(deps, `fastgina${recordId().toLowerCase().replace(/[^a-z0-9]/g, '')}`);
    });
    const auth = () => ({ authorization: `Bearer ${gina.token}` });

    /** Counts the direct route's calls while f runs. */
    async function countingDirect(f: () => Promise<void>): Promise<number> {
      const original = directQueries['vault.changes']!;
      let calls = 0;
      directQueries['vault.changes'] = (ctx, input) => {
        calls++;
        return original(ctx, input);
      };
      try {
        await f();
      } finally {
        directQueries['vault.changes'] = original;
      }
      return calls;
    }

    it('a check added to the definition refuses on both roads, with the same answer', async () => {
      // What the coming membership check will be: a refusal inside the shared resolver.
      const original = changesQuery.resolve;
      changesQuery.resolve = (ctx, input) => {
        if (input.cursor === 42) throw new ServerError('FORBIDDEN', 'Not a member of this container.');
        return original(ctx, input);
      };
      try {
        const calls = await countingDirect(async () => {
          const { fast, slow } = await both(`/trpc/vault.changes?input=${q({ cursor: 42 })}`, auth());
          expect(fast.status).toBe(403);
          expect(fast).toEqual(slow);
          expect(JSON.parse(fast.body).error.data.appCode).toBe('FORBIDDEN');
          // Positive control: other cursors still answer, on both roads.
          const ok = await both(`/trpc/vault.changes?input=${q({ cursor: 41 })}`, auth());
          expect(ok.fast.status).toBe(200);
          expect(ok.fast).toEqual(ok.slow);
        });
        // The fast road did try its direct route (and handed the refusal to tRPC).
        expect(calls).toBe(2);
      } finally {
        changesQuery.resolve = original;
      }
    });

    it('a check added to signedIn refuses on both roads', async () => {
      const { check, peek } = signedIn;
      const refused = (ctx: { token: string | null }) => ctx.token === gina.token;
      let peeks = 0;
      signedIn.check = async (ctx) => {
        if (refused(ctx)) throw new TRPCError({ code: 'FORBIDDEN', message: 'Account suspended.' });
        return check(ctx);
      };
      signedIn.peek = (ctx) => {
        peeks++;
        return refused(ctx) ? null : peek(ctx);
      };
      try {
        const { fast, slow } = await both(`/trpc/vault.changes?input=${q({ cursor: 0 })}`, auth());
        expect(fast.status).toBe(403);
        expect(fast).toEqual(slow);
        expect(peeks).toBe(1);
        // Positive control: another session passes on both roads.
        const bob = await signUp(deps, `fastfrank${recordId().toLowerCase().replace(/[^a-z0-9]/g, '')}`);
        const ok = await both(`/trpc/vault.changes?input=${q({ cursor: 0 })}`, { authorization: `Bearer ${bob.token}` });
        expect(ok.fast.status).toBe(200);
        expect(ok.fast).toEqual(ok.slow);
        expect(peeks).toBe(2);
      } finally {
        Object.assign(signedIn, { check, peek });
      }
    });

    it('authedProcedure checks through signedIn only, and vault.changes is built from its definition', () => {
      // A middleware of its own on authedProcedure would run on the tRPC road only: checks every
      // signed-in call needs go into signedIn (trpc.ts), which both roads run.
      const middlewares = (p: unknown) => (p as { _def: { middlewares: unknown[] } })._def.middlewares;
      expect(middlewares(authedProcedure)).toEqual((signedInMiddleware as unknown as { _middlewares: unknown[] })._middlewares);
      expect(Object.keys(directQueries)).toEqual(['vault.changes', 'vault.containerChanges']);
      expect(directQueriesOf(appRouter)['vault.changes']).toBeTypeOf('function');
      expect(directQueriesOf(appRouter)['vault.containerChanges']).toBeTypeOf('function');
    });
  });
});
