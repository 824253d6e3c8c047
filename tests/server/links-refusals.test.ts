// SECURITY.md 19 over HTTP: an expired (swept or not), used-up, revoked, destroyed, unknown or
// wrong-secret link gets the same answer (status, body, headers) from links.reveal and from
// links.metadata, through the same statements; and, measured interleaved, the same timing class.
// Runs on SQLite and on PostgreSQL.
import type { KyselyPlugin, RootOperationNode, UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/deps.ts';
import { linkNotFound } from '../../server/links/store.ts';
import { sweepExpired } from '../../server/sweeper.ts';
import { b64, createClock, createTestDatabase, createTestDeps, databaseName, listen, signUp, type Clock, type TestDatabase } from './helpers.ts';
import { createTestLink, HOUR, linkId, revealOf } from './link-fixtures.ts';

const OPEN = { max: 1_000_000, windowMs: HOUR };

let tdb: TestDatabase;
let clock: Clock;
let deps: Deps;
let http: Awaited<ReturnType<typeof listen>>;
/** Every statement the server runs, as SQL text without its values, while `recording` is set. */
let recording: string[] | null = null;

beforeAll(async () => {
  tdb = await createTestDatabase();
  clock = createClock();
  const base = tdb.database.db;
  const recorder: KyselyPlugin = {
    transformQuery({ node, queryId }) {
      recording?.push(base.getExecutor().compileQuery(node as RootOperationNode, queryId).sql);
      return node;
    },
    transformResult: async ({ result }) => result as { rows: UnknownRow[] },
  };
  const database = { ...tdb.database, db: base.withPlugin(recorder) };
  deps = await createTestDeps(database, {
    clock,
    config: { linkLimits: { pickupPerAddress: OPEN, revealPerLink: OPEN, emailsPerAccount: OPEN, createPerAccount: OPEN } },
  });
  http = await listen(deps);
});
afterAll(async () => {
  await http?.close();
  await tdb.drop();
});

type PickupInput = { id: string; lookupTag: string; proof: string };

/** One POST as the pick-up page sends it; what a client sees of the answer. */
async function post(procedure: 'reveal' | 'metadata', input: PickupInput) {
  const body = procedure === 'reveal' ? input : { id: input.id, lookupTag: input.lookupTag };
  const res = await fetch(`${http.url}/trpc/links.${procedure}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const headers = Object.fromEntries([...res.headers].filter(([name]) => name !== 'date'));
  return { status: res.status, headers, body: await res.text() };
}

/** The refusal kinds: each a link in that state, reached with what its recipient would send. */
async function refusalKinds(): Promise<Record<string, PickupInput>> {
  const alice = await signUp(deps, `alice${++senders}`);
  const now = () => clock.now();
  const usedUp = await createTestLink(alice, now());
  const usedUpAnswer = await post('reveal', revealOf(usedUp));
  expect(usedUpAnswer.status).toBe(200);
  const revoked = await createTestLink(alice, now());
  await alice.api.links.revoke({ id: revoked.id });
  const destroyed = await createTestLink(alice, now());
  for (let i = 0; i < 3; i++) expect((await post('reveal', revealOf(destroyed, b64(32)))).status).toBe(401);
  const wrongSecret = await createTestLink(alice, now());
  const swept = await createTestLink(alice, now(), { expiresAt: now() + 1000 });
  const unswept = await createTestLink(alice, now(), { expiresAt: now() + 2000 });
  clock.advance(1000);
  await sweepExpired(deps);
  clock.advance(1000);
  return {
    unknown: { id: linkId(), lookupTag: b64(32), proof: b64(32) },
    expired: revealOf(unswept),
    'expired and swept': revealOf(swept),
    'used up': revealOf(usedUp),
    revoked: revealOf(revoked),
    destroyed: revealOf(destroyed),
    'wrong secret': { ...revealOf(wrongSecret), lookupTag: b64(32) },
    'wrong secret, right proof': { id: wrongSecret.id, lookupTag: b64(32), proof: wrongSecret.proof },
  };
}

let senders = 0;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe(`link refusals over HTTP on ${databaseName}`, () => {
  it('answer every ended, unknown and wrong-secret link identically: status, body and headers, through the same statements', async () => {
    const kinds = await refusalKinds();
    for (const procedure of ['reveal', 'metadata'] as const) {
      const answers: Record<string, unknown> = {};
      const statements: Record<string, string[]> = {};
      for (const [kind, input] of Object.entries(kinds)) {
        recording = [];
        answers[kind] = await post(procedure, input);
        statements[kind] = recording;
        recording = null;
      }
      const first = Object.values(answers)[0] as Awaited<ReturnType<typeof post>>;
      for (const kind of Object.keys(kinds)) {
        expect(answers[kind], `${procedure}: ${kind}`).toEqual(first);
        expect(statements[kind], `${procedure}: ${kind}`).toEqual(statements.unknown);
      }
      // The one answer is linkNotFound(): 404, its message, no details that could tell kinds apart.
      expect(first.status).toBe(404);
      const error = (JSON.parse(first.body) as { error: { message: string; data: Record<string, unknown> } }).error;
      expect(error.message).toBe(linkNotFound().message);
      expect(error.data).toMatchObject({ code: 'NOT_FOUND', appCode: 'NOT_FOUND' });
      expect(error.data.details).toBeUndefined();
      expect(first.headers['content-type']).toMatch(/^application\/json/);
      expect(first.headers['cache-control']).toBe('no-store');
      expect(first.headers['retry-after']).toBeUndefined();
      // The statements ran (the recorder is live): the pick-up limit, the lookup, and for a reveal the counting update.
      expect(statements.unknown!.length).toBeGreaterThan(procedure === 'reveal' ? 3 : 1);
      if (procedure === 'reveal') expect(statements.unknown!.some((s) => /^update "links"/.test(s))).toBe(true);
    }
  });

  it('take the same time, measured interleaved, and the measurement tells a slower path apart (control)', async () => {
    const kinds = await refusalKinds();
    const names = Object.keys(kinds);
    // The control: the same refusal asked twice in a row, a known twice-as-long path under the same noise.
    const control = async () => {
      await post('reveal', kinds.unknown!);
      await post('reveal', kinds.unknown!);
    };
    const ROUNDS = 25;
    const BOUND = 1.5;
    const failures: string[] = [];
    // A noisy machine may spoil one measurement; a real difference spoils every one of them.
    for (let attempt = 0; attempt < 3; attempt++) {
      const times = new Map<string, number[]>([...names, 'control'].map((n) => [n, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const name of [...names, 'control'].sort(() => Math.random() - 0.5)) {
          const start = performance.now();
          if (name === 'control') await control();
          else expect((await post('reveal', kinds[name]!)).status).toBe(404);
          times.get(name)!.push(performance.now() - start);
        }
      }
      const pooled = median(names.flatMap((n) => times.get(n)!));
      const ratios = Object.fromEntries([...times].map(([n, t]) => [n, median(t) / pooled]));
      const apart = names.filter((n) => ratios[n]! > BOUND || ratios[n]! < 1 / BOUND);
      const controlSeen = ratios.control! > BOUND;
      if (apart.length === 0 && controlSeen) return;
      failures.push(`attempt ${attempt + 1}: pooled median ${pooled.toFixed(2)} ms, ratios ${JSON.stringify(ratios, (_, v: unknown) => (typeof v === 'number' ? Number(v.toFixed(2)) : v))}`);
    }
    expect.fail(`no measurement had every refusal within ${BOUND}× of the pooled median with the control outside it:\n${failures.join('\n')}`);
  }, 120_000);
});
