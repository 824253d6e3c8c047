// Link shares on the server (issue 12, SECURITY.md 16–21): atomic counting of uses and wrong
// attempts under 50 concurrent clients, expiry by the server's (injected) clock, revocation, the
// deletion of an entry, one identical refusal for every ended kind, rate limits, authorization as
// a second user, the storage quota, and live notices. Runs on SQLite and on PostgreSQL.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/deps.ts';
import { sweepExpired } from '../../server/sweeper.ts';
import { b64, caller, createClock, createTestDatabase, createTestDeps, databaseName, signUp, type Clock, type TestDatabase } from './helpers.ts';
import { createTestLink, HOUR, linkId, linkInput, revealOf, vaultRecord, type TestLink } from './link-fixtures.ts';

const OPEN_LIMITS = {
  pickupPerAddress: { max: 1_000_000, windowMs: HOUR },
  revealPerLink: { max: 1_000_000, windowMs: HOUR },
  emailsPerAccount: { max: 1_000_000, windowMs: HOUR },
  createPerAccount: { max: 1_000_000, windowMs: HOUR },
};

let tdb: TestDatabase;
let clock: Clock;
let deps: Deps;
let alice: Awaited<ReturnType<typeof signUp>>;
let bob: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  clock = createClock();
  // Sessions outlive the 30 days the expiry tests move the clock by.
  deps = await createTestDeps(tdb.database, { clock, config: { linkLimits: OPEN_LIMITS, sessionTtlMs: 3650 * 24 * HOUR } });
  alice = await signUp(deps, 'alice');
  bob = await signUp(deps, 'bob');
});
afterAll(async () => {
  await tdb.drop();
});

const anon = (ip = '198.51.100.7') => caller(deps, null, ip);

async function failure(p: Promise<unknown>): Promise<TRPCError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

/** What a client sees of a refusal: code, message and data (minus the procedure's path). */
function refusal(e: TRPCError) {
  const cause = e.cause as { details?: unknown } | undefined;
  return { code: e.code, message: e.message, details: cause?.details };
}

async function linkRow(id: string) {
  return tdb.database.db.selectFrom('links').selectAll().where('id', '=', id).executeTakeFirst();
}

async function expectCopyGone(id: string, state: string) {
  const row = await linkRow(id);
  expect(row).toMatchObject({ state, verifier: null, sealed_share: null, meta: null, payload: null });
  expect(await tdb.database.db.selectFrom('link_emails').selectAll().where('link_id', '=', id).execute()).toEqual([]);
}

describe(`link shares on ${databaseName}`, () => {
  it('creates, lists, shows metadata without spending, and reveals the share and payload once', async () => {
    const link = await createTestLink(alice, clock.now(), { maxUses: 2 });
    const meta = await anon().links.metadata({ id: link.id, lookupTag: link.lookupTag });
    expect(meta).toMatchObject({ protection: 'pin', attemptsLeft: 3, restricted: false, sender: 'alice', expiresAt: clock.now() + HOUR });
    expect(meta.kdf).toMatchObject({ memoryKib: 65536, passes: 3, lanes: 4 });
    await anon().links.metadata({ id: link.id, lookupTag: link.lookupTag });
    expect((await linkRow(link.id))!.uses).toBe(0);

    const revealed = await anon().links.reveal(revealOf(link));
    expect(revealed).toEqual({ serverShare: link.serverShare, payload: link.payload });
    const [listed] = (await alice.api.links.list()).filter((l) => l.id === link.id);
    expect(listed).toMatchObject({ uses: 1, maxUses: 2, attempts: 0, maxAttempts: 3, state: 'active', recordIds: [link.recordId], lastOpenedAt: clock.now() });
    expect((await linkRow(link.id))!.sealed_share).not.toContain(link.serverShare);
  });

  it('opens a 3-use link exactly 3 times when 50 clients reveal at once', async () => {
    const link = await createTestLink(alice, clock.now(), { maxUses: 3 });
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => anon(`203.0.113.${i + 1}`).links.reveal(revealOf(link))));
    const opened = results.filter((r) => r.status === 'fulfilled');
    expect(opened.length).toBe(3);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as TRPCError).code).toBe('NOT_FOUND');
    expect((await linkRow(link.id))!.uses).toBe(3);
    await expectCopyGone(link.id, 'used-up');
  });

  it('opens a 1-use link once when 50 clients reveal at once', async () => {
    const link = await createTestLink(alice, clock.now());
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => anon().links.reveal(revealOf(link))));
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(1);
    await expectCopyGone(link.id, 'used-up');
  });

  it('destroys a PIN link after 50 concurrent wrong PINs, and the right PIN afterwards finds nothing', async () => {
    const link = await createTestLink(alice, clock.now(), { maxUses: 5 });
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => anon().links.reveal(revealOf(link, b64(32)))));
    const errors = results.map((r) => (r.status === 'rejected' ? (r.reason as TRPCError) : null));
    expect(errors.every((e) => e !== null)).toBe(true);
    const wrong = errors.filter((e) => e!.code === 'UNAUTHORIZED');
    expect(wrong.length).toBe(3);
    expect(wrong.map((e) => refusal(e!).details).filter((d) => (d as { destroyed?: boolean }).destroyed === true).length).toBe(1);
    expect(errors.filter((e) => e!.code === 'NOT_FOUND').length).toBe(47);
    expect((await linkRow(link.id))!.attempts).toBe(3);
    await expectCopyGone(link.id, 'destroyed');
    expect((await failure(anon().links.reveal(revealOf(link)))).code).toBe('NOT_FOUND');
  });

  it('says how many attempts are left, and the third wrong PIN destroys the link', async () => {
    const link = await createTestLink(alice, clock.now());
    const first = await failure(anon().links.reveal(revealOf(link, b64(32))));
    expect(first.code).toBe('UNAUTHORIZED');
    expect(refusal(first).details).toEqual({ attemptsLeft: 2 });
    expect((await anon().links.metadata({ id: link.id, lookupTag: link.lookupTag })).attemptsLeft).toBe(2);
    expect(refusal(await failure(anon().links.reveal(revealOf(link, b64(32))))).details).toEqual({ attemptsLeft: 1 });
    const last = await failure(anon().links.reveal(revealOf(link, b64(32))));
    expect(refusal(last).details).toEqual({ attemptsLeft: 0, destroyed: true });
    expect(last.message).toMatch(/deleted/);
    expect((await alice.api.links.list()).find((l) => l.id === link.id)!.state).toBe('destroyed');
  });

  it('allows a passphrase link 10 wrong attempts by default, and what the sender sets (3–20)', async () => {
    const link = await createTestLink(alice, clock.now(), { protection: 'passphrase' });
    expect((await anon().links.metadata({ id: link.id, lookupTag: link.lookupTag })).attemptsLeft).toBe(10);
    const custom = await createTestLink(alice, clock.now(), { protection: 'passphrase', maxAttempts: 4 });
    for (let left = 3; left >= 1; left--) expect(refusal(await failure(anon().links.reveal(revealOf(custom, b64(32))))).details).toEqual({ attemptsLeft: left });
    expect(await anon().links.reveal(revealOf(custom))).toMatchObject({ payload: custom.payload });
  });

  it('ends a link at its expiry by the server clock, and the sweeper deletes its copy', async () => {
    const link = await createTestLink(alice, clock.now(), { expiresAt: clock.now() + HOUR, maxUses: 5 });
    await anon().links.reveal(revealOf(link));
    clock.advance(HOUR - 1);
    await anon().links.metadata({ id: link.id, lookupTag: link.lookupTag });
    clock.advance(1);
    expect((await failure(anon().links.metadata({ id: link.id, lookupTag: link.lookupTag }))).code).toBe('NOT_FOUND');
    expect((await failure(anon().links.reveal(revealOf(link)))).code).toBe('NOT_FOUND');
    expect((await alice.api.links.list()).find((l) => l.id === link.id)!.state).toBe('expired');
    expect((await linkRow(link.id))!.payload).not.toBeNull();
    await sweepExpired(deps);
    await expectCopyGone(link.id, 'expired');
    // Ended rows are purged 30 days later.
    clock.advance(30 * 24 * HOUR);
    await sweepExpired(deps);
    expect(await linkRow(link.id)).toBeUndefined();
    expect((await alice.api.links.list()).find((l) => l.id === link.id)).toBeUndefined();
  });

  it('revokes a link at once, and a revoked link does not open', async () => {
    const link = await createTestLink(alice, clock.now());
    await alice.api.links.revoke({ id: link.id });
    await expectCopyGone(link.id, 'revoked');
    expect((await failure(anon().links.reveal(revealOf(link)))).code).toBe('NOT_FOUND');
    await alice.api.links.revoke({ id: link.id });
    expect((await failure(alice.api.links.revoke({ id: linkId() }))).code).toBe('NOT_FOUND');
  });

  it('ends the links that carry an entry when the entry is deleted', async () => {
    const record = await vaultRecord(alice);
    const link = await createTestLink(alice, clock.now(), { recordIds: [record] });
    const other = await createTestLink(alice, clock.now());
    const [stored] = await alice.api.vault.records({ container: alice.userId, ids: [record] }).then((r) => r.records);
    await alice.api.vault.put({ container: alice.userId, id: record, baseRevision: stored!.revision, keyEpoch: 0, data: '', deleted: true });
    await expectCopyGone(link.id, 'revoked');
    expect((await failure(anon().links.reveal(revealOf(link)))).code).toBe('NOT_FOUND');
    expect(await anon().links.reveal(revealOf(other))).toMatchObject({ payload: other.payload });
    // A deleted entry cannot go into a new link.
    expect((await failure(alice.api.links.create(linkInput([record], clock.now())))).code).toBe('BAD_REQUEST');
  });

  // One identical refusal for every ended, unknown and wrong-secret link: links-refusals.test.ts (over HTTP).

  it('rate limits pick-up per client address and per link', async () => {
    const limited = await createTestDeps(tdb.database, {
      clock,
      config: { linkLimits: { ...OPEN_LIMITS, pickupPerAddress: { max: 3, windowMs: HOUR }, revealPerLink: { max: 4, windowMs: HOUR } } },
    });
    const link = await createTestLink(alice, clock.now(), { maxUses: 10 });
    const from = (ip: string) => caller(limited, null, ip).links;
    for (let i = 0; i < 3; i++) await from('192.0.2.1').metadata({ id: link.id, lookupTag: link.lookupTag });
    const limitedError = await failure(from('192.0.2.1').metadata({ id: link.id, lookupTag: link.lookupTag }));
    expect(limitedError.code).toBe('TOO_MANY_REQUESTS');
    expect(refusal(limitedError).details).toMatchObject({ retryAfterSeconds: expect.any(Number) });
    // IPv6: one /64 counts as one address.
    for (let i = 0; i < 3; i++) await from(`2001:db8:1:2::${i + 1}`).metadata({ id: link.id, lookupTag: link.lookupTag });
    expect((await failure(from('2001:db8:1:2::99').metadata({ id: link.id, lookupTag: link.lookupTag }))).code).toBe('TOO_MANY_REQUESTS');
    // Per link: four reveals from four addresses, the fifth is refused before it counts.
    for (let i = 0; i < 4; i++) await from(`192.0.2.${10 + i}`).reveal(revealOf(link));
    const perLink = await failure(from('192.0.2.50').reveal(revealOf(link)));
    expect(perLink.code).toBe('TOO_MANY_REQUESTS');
    expect((await linkRow(link.id))!.uses).toBe(4);
  });

  it('keeps links to their owner: a second user cannot list, revoke or email them, nor link foreign entries', async () => {
    const link = await createTestLink(alice, clock.now());
    expect((await bob.api.links.list()).map((l) => l.id)).not.toContain(link.id);
    expect((await failure(bob.api.links.revoke({ id: link.id }))).code).toBe('NOT_FOUND');
    const url = `https://vault.example/l/${link.id}#${b64(32)}`;
    expect((await failure(bob.api.links.sendEmail({ id: link.id, to: 'x@example.com', senderName: 'Bob', note: '', url }))).code).toBe('NOT_FOUND');
    expect((await failure(bob.api.links.create(linkInput([link.recordId], clock.now())))).code).toBe('BAD_REQUEST');
    // A link id that exists (alice's) cannot be taken over.
    const bobRecord = await vaultRecord(bob);
    expect((await failure(bob.api.links.create({ ...linkInput([bobRecord], clock.now()), id: link.id }))).code).toBe('CONFLICT');
    expect((await linkRow(link.id))!.state).toBe('active');
    expect(await anon().links.reveal(revealOf(link))).toMatchObject({ payload: link.payload });
    expect((await failure(caller(deps).links.list())).code).toBe('UNAUTHORIZED');
    expect((await failure(caller(deps).links.create(linkInput([link.recordId], clock.now())))).code).toBe('UNAUTHORIZED');
  });

  it('counts an active link towards the storage quota and gives the room back when it ends', async () => {
    const carol = await signUp(deps, 'carol');
    const record = await vaultRecord(carol);
    const used = async () => (await tdb.database.db.selectFrom('users').select('storage_used').where('id', '=', carol.userId).executeTakeFirstOrThrow()).storage_used;
    const before = await used();
    const link = await createTestLink(carol, clock.now(), { recordIds: [record] });
    const size = (await used()) - before;
    expect(size).toBeGreaterThan(400);
    await anon().links.reveal(revealOf(link));
    expect(await used()).toBe(before);
    const tight = await createTestDeps(tdb.database, { clock, config: { linkLimits: OPEN_LIMITS, storageQuotaBytes: before + size - 1 } });
    const refused = await failure(caller(tight, carol.token).links.create(linkInput([record], clock.now())));
    expect(refused.code).toBe('PAYLOAD_TOO_LARGE');
    expect(refused.message).toMatch(/quota/);
    expect(await used()).toBe(before);
  });

  it('tells the owner’s live stream (linkSeq) about reveals, wrong attempts and ends', async () => {
    const link = await createTestLink(alice, clock.now(), { maxUses: 2 });
    const seq = async () => (await tdb.database.db.selectFrom('users').select('link_seq').where('id', '=', alice.userId).executeTakeFirstOrThrow()).link_seq;
    const controller = new AbortController();
    const stream = await caller(deps, alice.token, '127.0.0.1', controller.signal).events.onChange({ cursor: 1_000_000, linkSeq: await seq() });
    const iterator = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    const next = iterator.next();
    await anon().links.reveal(revealOf(link));
    const event = (await next).value as [string, { cursor: number; linkSeq: number }] | { data: { linkSeq: number } };
    const data = Array.isArray(event) ? event[1] : (event as { data: { linkSeq: number } }).data;
    expect(data.linkSeq).toBe(await seq());
    const before = await seq();
    await failure(anon().links.reveal(revealOf(link, b64(32))));
    expect(await seq()).toBe(before + 1);
    await alice.api.links.revoke({ id: link.id });
    expect(await seq()).toBe(before + 2);
    controller.abort();
    await iterator.return?.();
  });
});
