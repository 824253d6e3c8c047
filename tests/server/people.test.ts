// People (issue 13): exact lookup that never tells which emails have accounts, invitations by id
// and by email (waiting for an account that confirms the address), accept / decline / cancel,
// connections of kind messages or sharing, request and accept sharing, stop sharing, remove, and
// the people_seq that wakes the live stream. Runs on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/deps.ts';
import { sweepExpired } from '../../server/sweeper.ts';
import { caller, createClock, createTestDatabase, createTestDeps, databaseName, eventually, signUp, type TestDatabase } from './helpers.ts';
import { appCode, confirmedUser, confirmWithMailedCode, connect, failure, type User } from './people-fixtures.ts';

let tdb: TestDatabase;
let deps: Deps;
const clock = createClock();
let alice: User;
let bob: User;

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = await createTestDeps(tdb.database, { clock });
  alice = await confirmedUser(deps, 'alice');
  bob = await confirmedUser(deps, 'bob');
});
afterAll(async () => {
  await tdb.drop();
});

const peopleSeq = async (userId: string) =>
  Number((await tdb.database.db.selectFrom('users').select('people_seq').where('id', '=', userId).executeTakeFirstOrThrow()).people_seq);

describe(`people lookup on ${databaseName}`, () => {
  it('finds an exact username (any case) with only its id, username and public keys', async () => {
    const { user } = await alice.api.people.lookup({ username: '  BOB ' });
    expect(user).toEqual({ userId: bob.userId, username: 'bob', boxPublicKey: bob.input.identity.boxPublicKey, signingPublicKey: bob.input.identity.signingPublicKey });
    expect(await alice.api.people.lookup({ username: 'bobb' })).toEqual({ user: null });
    expect(await alice.api.people.lookup({ username: 'bobby' })).toEqual({ user: null });
  });

  it('answers an email lookup identically whether the address has a confirmed, an unconfirmed or no account', async () => {
    const unconfirmed = await signUp(deps, 'uma');
    const answers = [
      await alice.api.people.lookup({ email: bob.input.email }),
      await alice.api.people.lookup({ email: unconfirmed.input.email }),
      await alice.api.people.lookup({ email: 'nobody-here@example.com' }),
      await alice.api.people.lookup({ email: 'BOB@example.com' }),
    ];
    for (const a of answers) expect(a).toEqual({ user: null });
  });

  it('runs the same statements for an email with a confirmed, an unconfirmed and no account (lookup and invite)', async () => {
    const unconfirmed = await signUp(deps, 'ursula');
    let statements = 0;
    const counting = { ...tdb.database, db: tdb.database.db.withPlugin({ transformQuery: (a) => (statements++, a.node), transformResult: async (a) => a.result }) };
    const counted = await createTestDeps(counting, { clock });
    // Mail work waits until the test drains it, so it is not counted with the answer.
    const queued: Array<() => Promise<void>> = [];
    counted.tasks = { run: (_label, task) => void queued.push(task), drain: async () => { while (queued.length) await queued.shift()!(); } };
    const inviter = caller(counted, alice.token);
    const count = async (call: () => Promise<unknown>) => {
      statements = 0;
      const answer = await call();
      return { statements, answer: JSON.stringify(answer, (k, v) => (k === 'id' || k === 'email' || k === 'createdAt' || k === 'expiresAt' ? '…' : v)) };
    };
    const addresses = [bob.input.email, unconfirmed.input.email, 'no-account-here@example.com'];
    // Warm up: the first authenticated call of a session may also note when it was last seen.
    await inviter.people.lookup({ username: 'alice' });
    const lookups = [];
    for (const email of addresses) lookups.push(await count(() => inviter.people.lookup({ email })));
    const invites = [];
    for (const email of addresses) invites.push(await count(() => inviter.people.invite({ email })));
    await counted.tasks.drain();
    expect(new Set(lookups.map((l) => JSON.stringify(l))).size).toBe(1);
    expect(new Set(invites.map((l) => JSON.stringify(l))).size, JSON.stringify(invites)).toBe(1);
    expect(invites[0]!.statements).toBeGreaterThan(3);
    for (const email of addresses) await alice.api.people.cancelInvitation({ id: (await alice.api.people.invitations()).outgoing.find((i) => 'email' in i.to && i.to.email === email)!.id });
  });

  it('limits lookups per account (usernames and emails together), and a refused lookup says how long to wait', async () => {
    const tight = await createTestDeps(tdb.database, { clock, config: { peopleLimits: { ...deps.config.peopleLimits, lookupPerAccount: { max: 3, windowMs: 60_000 } } } });
    const carol = await signUp(tight, 'carol');
    await carol.api.people.lookup({ username: 'alice' });
    await carol.api.people.lookup({ email: 'x@example.com' });
    await carol.api.people.lookup({ username: 'nobody' });
    const refused = await failure(carol.api.people.lookup({ username: 'alice' }));
    expect(refused.code).toBe('TOO_MANY_REQUESTS');
    expect(refused.message).toMatch(/Wait \d+ seconds/);
    // Another account is not affected.
    const dora = await signUp(tight, 'dora');
    expect((await dora.api.people.lookup({ username: 'carol' })).user?.username).toBe('carol');
    clock.advance(61_000);
    expect((await carol.api.people.lookup({ username: 'alice' })).user?.userId).toBe(alice.userId);
  });
});


describe(`invitations on ${databaseName}`, () => {
  it('invites by id: both see it pending, the invitee accepts, and both are connected with each other’s keys', async () => {
    const dan = await confirmedUser(deps, 'dan');
    const eve = await confirmedUser(deps, 'eve');
    const before = await peopleSeq(eve.userId);
    const { invitation } = await dan.api.people.invite({ userId: eve.userId });
    expect(invitation).toMatchObject({ kind: 'messages', to: { userId: eve.userId, username: 'eve' } });
    expect(await peopleSeq(eve.userId)).toBe(before + 1);
    const danSide = await dan.api.people.invitations();
    expect(danSide.outgoing.map((i) => i.id)).toEqual([invitation.id]);
    expect(danSide.incoming).toEqual([]);
    const eveSide = await eve.api.people.invitations();
    expect(eveSide.incoming).toEqual([
      { id: invitation.id, from: { userId: dan.userId, username: 'dan', boxPublicKey: dan.input.identity.boxPublicKey, signingPublicKey: dan.input.identity.signingPublicKey }, kind: 'messages', viaEmail: false, createdAt: invitation.createdAt, expiresAt: invitation.expiresAt },
    ]);
    // Nobody else can accept it, and the inviter cannot accept their own.
    expect(await appCode(dan.api.people.acceptInvitation({ id: invitation.id }))).toBe('NOT_FOUND');
    const { connection } = await eve.api.people.acceptInvitation({ id: invitation.id });
    expect(connection).toMatchObject({ userId: dan.userId, username: 'dan', kind: 'messages', sharingRequest: 'none', boxPublicKey: dan.input.identity.boxPublicKey });
    expect((await dan.api.people.list()).connections).toEqual([expect.objectContaining({ userId: eve.userId, username: 'eve', kind: 'messages', signingPublicKey: eve.input.identity.signingPublicKey })]);
    expect((await dan.api.people.invitations()).outgoing).toEqual([]);
    expect((await eve.api.people.invitations()).incoming).toEqual([]);
    expect(await appCode(eve.api.people.acceptInvitation({ id: invitation.id }))).toBe('NOT_FOUND');
  });

  it('refuses inviting yourself, an unknown id, someone you are connected with or invited already, and says when they invited you', async () => {
    const fay = await confirmedUser(deps, 'fay');
    const gus = await confirmedUser(deps, 'gus');
    expect(await appCode(fay.api.people.invite({ userId: fay.userId }))).toBe('BAD_INPUT');
    expect(await appCode(fay.api.people.invite({ userId: 'AAAAAAAAAAAAAAAAAAAAAA' }))).toBe('NOT_FOUND');
    const { invitation } = await fay.api.people.invite({ userId: gus.userId, kind: 'sharing' });
    const again = await failure(fay.api.people.invite({ userId: gus.userId }));
    expect(again.code).toBe('CONFLICT');
    expect((again.cause as { details?: unknown }).details).toEqual({ reason: 'pending', invitationId: invitation.id });
    const reverse = await failure(gus.api.people.invite({ userId: fay.userId }));
    expect((reverse.cause as { details?: unknown }).details).toEqual({ reason: 'invited-you', invitationId: invitation.id });
    const { connection } = await gus.api.people.acceptInvitation({ id: invitation.id });
    expect(connection.kind).toBe('sharing');
    expect((await failure(gus.api.people.invite({ userId: fay.userId }))).cause).toMatchObject({ details: { reason: 'connected' } });
  });

  it('stores one of five simultaneous invitations to the same person, and invitations accepted both ways at once make one connection', async () => {
    const vic = await confirmedUser(deps, 'vic');
    const wes = await confirmedUser(deps, 'wes');
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => vic.api.people.invite({ userId: wes.userId })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as { code: string }).code).toBe('CONFLICT');
    expect((await wes.api.people.invitations()).incoming).toHaveLength(1);
    // An email invitation the other way (attached: wes's address is confirmed), accepted at the same time as vic's.
    const mine = (await wes.api.people.invitations()).incoming[0]!.id;
    const theirs = (await wes.api.people.invite({ email: vic.input.email })).invitation.id;
    await Promise.all([wes.api.people.acceptInvitation({ id: mine }), vic.api.people.acceptInvitation({ id: theirs }).catch((e: { code: string }) => e.code)]);
    expect((await vic.api.people.list()).connections.map((c) => c.userId)).toEqual([wes.userId]);
    expect((await wes.api.people.list()).connections.map((c) => c.userId)).toEqual([vic.userId]);
    expect((await vic.api.people.invitations()).incoming).toEqual([]);
  });

  it('declines (invitee) and cancels (inviter); neither can end the other’s side', async () => {
    const hal = await confirmedUser(deps, 'hal');
    const ida = await confirmedUser(deps, 'ida');
    const first = (await hal.api.people.invite({ userId: ida.userId })).invitation;
    expect(await appCode(hal.api.people.declineInvitation({ id: first.id }))).toBe('NOT_FOUND');
    expect(await ida.api.people.declineInvitation({ id: first.id })).toEqual({});
    expect((await hal.api.people.invitations()).outgoing).toEqual([]);
    const second = (await hal.api.people.invite({ userId: ida.userId })).invitation;
    expect(await appCode(ida.api.people.cancelInvitation({ id: second.id }))).toBe('NOT_FOUND');
    expect(await hal.api.people.cancelInvitation({ id: second.id })).toEqual({});
    expect((await ida.api.people.invitations()).incoming).toEqual([]);
    expect((await ida.api.people.list()).connections).toEqual([]);
  });

  it('by email to a confirmed account: attached at once; the inviter sees only the address until accepted', async () => {
    const jon = await confirmedUser(deps, 'jon');
    const kim = await confirmedUser(deps, 'kim');
    const { invitation } = await jon.api.people.invite({ email: 'KIM@example.com' });
    expect(invitation.to).toEqual({ email: 'kim@example.com' });
    expect((await jon.api.people.invitations()).outgoing[0]!.to).toEqual({ email: 'kim@example.com' });
    expect((await kim.api.people.invitations()).incoming).toEqual([expect.objectContaining({ id: invitation.id, viaEmail: true, from: expect.objectContaining({ username: 'jon' }) })]);
    expect((await failure(jon.api.people.invite({ email: 'kim@example.com' }))).code).toBe('CONFLICT');
    expect(await appCode(jon.api.people.invite({ email: jon.input.email }))).toBe('BAD_INPUT');
    await kim.api.people.acceptInvitation({ id: invitation.id });
    expect((await jon.api.people.list()).connections.map((c) => c.username)).toEqual(['kim']);
  });

  it('by email to an address without a confirmed account: waits, is never attached to an unconfirmed account, and reaches the one that confirms it', async () => {
    const lea = await confirmedUser(deps, 'lea');
    const answerUnknown = await lea.api.people.invite({ email: 'newcomer@example.com' });
    // An address someone registered but has not confirmed: the same answer, nothing attached.
    const squatter = await signUp(deps, 'squatter');
    const answerUnconfirmed = await lea.api.people.invite({ email: squatter.input.email });
    expect(Object.keys(answerUnknown.invitation).sort()).toEqual(Object.keys(answerUnconfirmed.invitation).sort());
    expect((await squatter.api.people.invitations()).incoming).toEqual([]);
    // Someone registers with the address: nothing until they confirm it.
    const newcomer = await signUp(deps, 'newcomer');
    expect((await newcomer.api.people.invitations()).incoming).toEqual([]);
    const seq = await peopleSeq(newcomer.userId);
    await confirmWithMailedCode(deps, newcomer.token, 'newcomer@example.com');
    expect(await peopleSeq(newcomer.userId)).toBe(seq + 1);
    const { incoming } = await newcomer.api.people.invitations();
    expect(incoming).toEqual([expect.objectContaining({ id: answerUnknown.invitation.id, viaEmail: true, from: expect.objectContaining({ username: 'lea' }) })]);
    // The inviter still sees only the address, then the person once they accept.
    expect((await lea.api.people.invitations()).outgoing.find((i) => i.id === answerUnknown.invitation.id)!.to).toEqual({ email: 'newcomer@example.com' });
    await newcomer.api.people.acceptInvitation({ id: answerUnknown.invitation.id });
    expect((await lea.api.people.list()).connections).toEqual([expect.objectContaining({ userId: newcomer.userId, username: 'newcomer' })]);
  });

  it('accepting an email invitation from someone already connected keeps the connection as it is', async () => {
    const max = await confirmedUser(deps, 'max');
    const ned = await confirmedUser(deps, 'ned');
    await connect(max, ned, 'sharing');
    const { invitation } = await max.api.people.invite({ email: ned.input.email, kind: 'messages' });
    const { connection } = await ned.api.people.acceptInvitation({ id: invitation.id });
    expect(connection.kind).toBe('sharing');
    expect((await ned.api.people.invitations()).incoming).toEqual([]);
  });

  it('expires invitations after 30 days; the sweeper deletes them', async () => {
    // Its own clock: sessions end after 30 days too.
    const ownClock = createClock();
    const later = await createTestDeps(tdb.database, { clock: ownClock, config: { sessionTtlMs: 90 * 24 * 3600_000 } });
    const ola = await confirmedUser(later, 'ola');
    const pam = await confirmedUser(later, 'pam');
    const { invitation } = await ola.api.people.invite({ userId: pam.userId });
    ownClock.advance(30 * 24 * 3600_000 + 1);
    expect((await pam.api.people.invitations()).incoming).toEqual([]);
    expect(await appCode(pam.api.people.acceptInvitation({ id: invitation.id }))).toBe('NOT_FOUND');
    await sweepExpired(later);
    expect(await tdb.database.db.selectFrom('invitations').select('id').where('id', '=', invitation.id).executeTakeFirst()).toBeUndefined();
    // And the inviter may invite again.
    expect((await ola.api.people.invite({ userId: pam.userId })).invitation.id).not.toBe(invitation.id);
  });

  it('limits invitations per account, and pending ones', async () => {
    const tight = await createTestDeps(tdb.database, {
      clock,
      config: { peopleLimits: { ...deps.config.peopleLimits, invitePerAccount: { max: 2, windowMs: 3600_000 }, maxPendingInvitations: 3 } },
    });
    const quinn = await signUp(tight, 'quinn');
    await quinn.api.people.invite({ email: 'a1@example.com' });
    await quinn.api.people.invite({ email: 'a2@example.com' });
    expect((await failure(quinn.api.people.invite({ email: 'a3@example.com' }))).code).toBe('TOO_MANY_REQUESTS');
    clock.advance(3600_001);
    await quinn.api.people.invite({ email: 'a3@example.com' });
    const full = await failure(quinn.api.people.invite({ email: 'a4@example.com' }));
    expect(full.code).toBe('TOO_MANY_REQUESTS');
    expect(full.message).toMatch(/Cancel some/);
    expect((await quinn.api.people.invitations()).outgoing).toHaveLength(3);
  });
});

describe(`connections on ${databaseName}`, () => {
  it('requests and accepts sharing, stops sharing, and removes; the other side sees each step', async () => {
    const rob = await confirmedUser(deps, 'rob');
    const sue = await confirmedUser(deps, 'sue');
    await connect(rob, sue);
    const seq = await peopleSeq(sue.userId);
    expect((await rob.api.people.requestSharing({ userId: sue.userId })).connection).toMatchObject({ kind: 'messages', sharingRequest: 'sent' });
    expect(await peopleSeq(sue.userId)).toBe(seq + 1);
    expect((await sue.api.people.list()).connections[0]).toMatchObject({ userId: rob.userId, sharingRequest: 'received' });
    // Asking again changes nothing; the asker cannot accept their own request.
    expect((await rob.api.people.requestSharing({ userId: sue.userId })).connection.sharingRequest).toBe('sent');
    expect(await peopleSeq(sue.userId)).toBe(seq + 1);
    expect((await failure(rob.api.people.acceptSharing({ userId: sue.userId }))).cause).toMatchObject({ details: { reason: 'no-request' } });
    expect((await sue.api.people.acceptSharing({ userId: rob.userId })).connection).toMatchObject({ kind: 'sharing', sharingRequest: 'none' });
    expect((await rob.api.people.list()).connections[0]).toMatchObject({ kind: 'sharing' });
    expect((await sue.api.people.stopSharing({ userId: rob.userId })).connection).toMatchObject({ kind: 'messages', sharingRequest: 'none' });
    // A request both ways starts sharing at once; stopSharing also declines a request.
    await sue.api.people.requestSharing({ userId: rob.userId });
    expect((await rob.api.people.requestSharing({ userId: sue.userId })).connection.kind).toBe('sharing');
    await rob.api.people.stopSharing({ userId: sue.userId });
    await rob.api.people.requestSharing({ userId: sue.userId });
    expect((await sue.api.people.stopSharing({ userId: rob.userId })).connection.sharingRequest).toBe('none');
    expect(await sue.api.people.remove({ userId: rob.userId })).toEqual({ sharesEnded: 0 });
    expect((await rob.api.people.list()).connections).toEqual([]);
    for (const call of [
      () => rob.api.people.requestSharing({ userId: sue.userId }),
      () => rob.api.people.acceptSharing({ userId: sue.userId }),
      () => rob.api.people.stopSharing({ userId: sue.userId }),
      () => rob.api.people.remove({ userId: sue.userId }),
    ]) {
      expect(await appCode(call())).toBe('NOT_FOUND');
    }
    // They can connect again.
    expect((await connect(sue, rob)).userId).toBe(sue.userId);
  });

  it('wakes the live stream of both people with peopleSeq', async () => {
    const tom = await confirmedUser(deps, 'tom');
    const una = await confirmedUser(deps, 'una');
    const controller = new AbortController();
    const stream = await caller(deps, una.token, '127.0.0.1', controller.signal).events.onChange({ cursor: 1_000_000, linkSeq: 0, peopleSeq: await peopleSeq(una.userId) });
    const iterator = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    const next = iterator.next();
    await tom.api.people.invite({ userId: una.userId });
    const event = (await next).value as { id: string; data: { peopleSeq: number } } | [string, { peopleSeq: number }];
    const data = Array.isArray(event) ? event[1] : event.data;
    expect(data.peopleSeq).toBe(await peopleSeq(una.userId));
    controller.abort();
    await iterator.return?.();
  });

  it('resumes from an event id <cursor>.<linkSeq>.<peopleSeq>, and reaches another process (PostgreSQL NOTIFY) but not a third person', async () => {
    const vera = await confirmedUser(deps, 'vera');
    const walt = await confirmedUser(deps, 'walt');
    const xena = await confirmedUser(deps, 'xena');
    await connect(vera, walt);
    const seq = await peopleSeq(walt.userId);
    const streams: Array<{ events: string[]; stop(): Promise<void> }> = [];
    const open = async (d: Deps, token: string, input: { cursor: number; linkSeq?: number; peopleSeq?: number; lastEventId?: string }) => {
      const abort = new AbortController();
      const events: string[] = [];
      const iterable = await caller(d, token, '127.0.0.1', abort.signal).events.onChange(input);
      const done = (async () => {
        try {
          for await (const e of iterable as AsyncIterable<unknown>) events.push((e as [string, unknown])[0]);
        } catch {
          // ended by stop()
        }
      })();
      const stream = { events, stop: async () => (abort.abort(), await done) };
      streams.push(stream);
      return stream;
    };
    // Resumed from the last event it saw: nothing until people move again.
    const resumed = await open(deps, walt.token, { cursor: 0, lastEventId: `0.0.${seq}` });
    const otherProcess = await open(await createTestDeps(tdb.reopen(), { clock }), walt.token, { cursor: 0, linkSeq: 0, peopleSeq: seq });
    const third = await open(deps, xena.token, { cursor: 0, linkSeq: 0, peopleSeq: await peopleSeq(xena.userId) });
    await new Promise((r) => setTimeout(r, 100));
    expect(resumed.events).toEqual([]);
    await vera.api.people.requestSharing({ userId: walt.userId });
    await eventually(() => resumed.events.length === 1);
    expect(resumed.events).toEqual([`0.0.${seq + 1}`]);
    if (tdb.database.kind === 'postgres') await eventually(() => otherProcess.events.length === 1, 3000);
    await new Promise((r) => setTimeout(r, 100));
    expect(third.events).toEqual([]);
    for (const s of streams) await s.stop();
  });
});

