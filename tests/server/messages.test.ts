// Messages (issue 13): send to a connected person only, ciphertext stored as sent, inbox and Sent
// newest first with pages, get, mark read, unread count, per-side delete (the Sent copy stays),
// size limits, the sender's quota, retries, and the live stream. Runs on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/deps.ts';
import { MESSAGE_MAX_ENVELOPE_BYTES } from '../../server/people/messages.ts';
import { b64, caller, createClock, createTestDatabase, createTestDeps, databaseName, snapshot, type TestDatabase } from './helpers.ts';
import { appCode, confirmedUser, connect, failure, message, messageId, type User } from './people-fixtures.ts';

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
  await connect(alice, bob);
});
afterAll(async () => {
  await tdb.drop();
});

/** Every table, once the mail work started by earlier answers (its rate-limit rows) is done. */
async function settled() {
  await deps.tasks.drain();
  return snapshot(tdb.database);
}

const storageUsed = async (userId: string) =>
  Number((await tdb.database.db.selectFrom('users').select('storage_used').where('id', '=', userId).executeTakeFirstOrThrow()).storage_used);

describe(`messages on ${databaseName}`, () => {
  it('delivers a message to the recipient’s inbox and the sender’s Sent, exactly as sent', async () => {
    const m = message(bob.userId);
    clock.advance(1000);
    const sent = await alice.api.messages.send(m);
    expect(sent).toEqual({ id: m.id, createdAt: clock.now() });
    const inbox = await bob.api.messages.inbox();
    expect(inbox.messages[0]).toEqual({ id: m.id, peer: { userId: alice.userId, username: 'alice' }, direction: 'in', createdAt: clock.now(), readAt: null, header: m.header, size: expect.any(Number) });
    expect((await alice.api.messages.sent()).messages[0]).toMatchObject({ id: m.id, peer: { userId: bob.userId, username: 'bob' }, direction: 'out', readAt: null });
    expect((await bob.api.messages.get({ id: m.id })).message).toMatchObject({ envelope: m.envelope, header: m.header, direction: 'in' });
    expect((await alice.api.messages.get({ id: m.id })).message).toMatchObject({ envelope: m.envelope, direction: 'out' });
    // Neither list shows it on the wrong side.
    expect((await alice.api.messages.inbox()).messages.map((x) => x.id)).not.toContain(m.id);
    expect((await bob.api.messages.sent()).messages.map((x) => x.id)).not.toContain(m.id);
    // A message without a header.
    const bare = message(alice.userId, { header: false });
    await bob.api.messages.send(bare);
    expect((await alice.api.messages.inbox()).messages[0]).toMatchObject({ id: bare.id, header: null });
  });

  it('counts unread, marks read (only the recipient, all or nothing), and keeps the first readAt', async () => {
    const { unread } = await bob.api.messages.unreadCount();
    const a = message(bob.userId);
    const b = message(bob.userId);
    await alice.api.messages.send(a);
    await alice.api.messages.send(b);
    expect(await bob.api.messages.unreadCount()).toEqual({ unread: unread + 2 });
    expect(await appCode(alice.api.messages.markRead({ ids: [a.id] }))).toBe('NOT_FOUND');
    expect(await appCode(bob.api.messages.markRead({ ids: [a.id, messageId()] }))).toBe('NOT_FOUND');
    expect(await bob.api.messages.unreadCount()).toEqual({ unread: unread + 2 });
    clock.advance(500);
    const { readAt } = await bob.api.messages.markRead({ ids: [a.id] });
    expect(readAt).toBe(clock.now());
    clock.advance(500);
    await bob.api.messages.markRead({ ids: [a.id, b.id] });
    expect(await bob.api.messages.unreadCount()).toEqual({ unread });
    const listed = (await bob.api.messages.inbox()).messages.find((x) => x.id === a.id)!;
    expect(listed.readAt).toBe(readAt);
    // The sender is not told.
    expect((await alice.api.messages.sent()).messages.find((x) => x.id === a.id)!.readAt).toBeNull();
  });

  it('lists newest first in pages that neither skip nor repeat, also for messages of the same millisecond', async () => {
    const carol = await confirmedUser(deps, 'carol');
    await connect(alice, carol);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      if (i % 3 === 0) clock.advance(10);
      const m = message(carol.userId);
      ids.push(m.id);
      await alice.api.messages.send(m);
    }
    const seen: string[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const page: { messages: { id: string; createdAt: number }[]; next: string | null } = await carol.api.messages.inbox({ before, limit: 3 });
      seen.push(...page.messages.map((m) => m.id));
      before = page.next;
      pages++;
    } while (before);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(7);
    expect(seen.sort()).toEqual([...ids].sort());
    const all = (await carol.api.messages.inbox({ limit: 100 })).messages;
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.createdAt).toBeGreaterThanOrEqual(all[i]!.createdAt);
    expect(await appCode(carol.api.messages.inbox({ before: 'not-a-cursor' }))).toBe('BAD_INPUT');
  });

  it('deletes per side: the recipient’s delete leaves the Sent copy, and the room comes back once both deleted', async () => {
    const used = await storageUsed(alice.userId);
    const m = message(bob.userId, { envelopeBytes: 10_000 });
    await alice.api.messages.send(m);
    const charged = (await storageUsed(alice.userId)) - used;
    expect(charged).toBeGreaterThan(13_000);
    const bobUsed = await storageUsed(bob.userId);
    await bob.api.messages.delete({ id: m.id });
    expect(await storageUsed(bob.userId)).toBe(bobUsed);
    expect((await bob.api.messages.inbox()).messages.map((x) => x.id)).not.toContain(m.id);
    expect(await appCode(bob.api.messages.get({ id: m.id }))).toBe('NOT_FOUND');
    expect(await appCode(bob.api.messages.delete({ id: m.id }))).toBe('NOT_FOUND');
    expect((await alice.api.messages.get({ id: m.id })).message.envelope).toBe(m.envelope);
    expect(await storageUsed(alice.userId)).toBe(used + charged);
    await alice.api.messages.delete({ id: m.id });
    expect(await storageUsed(alice.userId)).toBe(used);
    expect(await tdb.database.db.selectFrom('messages').select('id').where('id', '=', m.id).executeTakeFirst()).toBeUndefined();
    // The sender's delete leaves the recipient's copy.
    const n = message(bob.userId);
    await alice.api.messages.send(n);
    await alice.api.messages.delete({ id: n.id });
    expect((await alice.api.messages.sent()).messages.map((x) => x.id)).not.toContain(n.id);
    expect((await bob.api.messages.get({ id: n.id })).message.envelope).toBe(n.envelope);
    // Two deletes at once free the room exactly once.
    const before = await storageUsed(alice.userId);
    const o = message(bob.userId);
    await alice.api.messages.send(o);
    await Promise.all([alice.api.messages.delete({ id: o.id }), bob.api.messages.delete({ id: o.id })]);
    expect(await storageUsed(alice.userId)).toBe(before);
  });

  it('refuses a recipient who is not connected, removed, unknown or yourself, and stores nothing', async () => {
    const dave = await confirmedUser(deps, 'dave');
    const before = await settled();
    for (const to of [dave.userId, alice.userId, b64(16)]) expect(await appCode(alice.api.messages.send(message(to)))).toBe('NOT_FOUND');
    await connect(dave, alice);
    await alice.api.people.remove({ userId: dave.userId });
    const withoutRemoval = await settled();
    const refused = await failure(alice.api.messages.send(message(dave.userId)));
    expect(refused.code).toBe('NOT_FOUND');
    expect(refused.message).toMatch(/not connected/);
    expect((await settled()).messages).toEqual(withoutRemoval.messages);
    expect(before.messages).toEqual(withoutRemoval.messages);
  });

  it('refuses a message over 512 KiB with TOO_LARGE and a header over 4 KiB, storing nothing', async () => {
    const before = await settled();
    const big = await failure(alice.api.messages.send({ ...message(bob.userId), envelope: b64(MESSAGE_MAX_ENVELOPE_BYTES + 3) }));
    expect(big.code).toBe('PAYLOAD_TOO_LARGE');
    expect(big.cause).toMatchObject({ details: { reason: 'message-size' } });
    expect(await appCode(alice.api.messages.send({ ...message(bob.userId), header: b64(4 * 1024 + 3) }))).toBe('BAD_INPUT');
    expect(await settled()).toEqual(before);
    // Exactly at the limit is fine.
    await alice.api.messages.send({ ...message(bob.userId), envelope: b64(MESSAGE_MAX_ENVELOPE_BYTES) });
  });

  it('charges the sender’s quota, never the recipient’s, and refuses a message past it', async () => {
    const used = await storageUsed(alice.userId);
    const tight = await createTestDeps(tdb.database, { clock, config: { storageQuotaBytes: used + 5000 } });
    const before = await settled();
    const refused = await failure(caller(tight, alice.token).messages.send(message(bob.userId, { envelopeBytes: 6000 })));
    expect(refused.code).toBe('PAYLOAD_TOO_LARGE');
    expect(refused.cause).toMatchObject({ details: { reason: 'quota', usedBytes: used, limitBytes: used + 5000 } });
    expect(await settled()).toEqual(before);
    // Bob's full account does not stop alice sending to him, and his storage does not move.
    const full = deps.config.storageQuotaBytes;
    const bobUsed = await storageUsed(bob.userId);
    await tdb.database.db.updateTable('users').set({ storage_used: full }).where('id', '=', bob.userId).execute();
    try {
      await alice.api.messages.send(message(bob.userId, { envelopeBytes: 100 }));
      expect(await storageUsed(bob.userId)).toBe(full);
    } finally {
      await tdb.database.db.updateTable('users').set({ storage_used: bobUsed }).where('id', '=', bob.userId).execute();
    }
  });

  it('answers a retry with the same id and body as the first time, and refuses any other reuse of an id', async () => {
    const m = message(bob.userId);
    const first = await alice.api.messages.send(m);
    clock.advance(100);
    expect(await alice.api.messages.send(m)).toEqual(first);
    expect((await bob.api.messages.inbox()).messages.filter((x) => x.id === m.id)).toHaveLength(1);
    expect((await failure(alice.api.messages.send({ ...m, envelope: b64(100) }))).code).toBe('CONFLICT');
    expect((await failure(bob.api.messages.send({ ...m, recipientId: alice.userId }))).code).toBe('CONFLICT');
  });

  it('stores a message sent five times at once (retries racing) once, answering each with the first answer', async () => {
    const m = message(bob.userId);
    const used = await storageUsed(alice.userId);
    const answers = await Promise.all(Array.from({ length: 5 }, () => alice.api.messages.send(m)));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect((await bob.api.messages.inbox({ limit: 100 })).messages.filter((x) => x.id === m.id)).toHaveLength(1);
    expect((await storageUsed(alice.userId)) - used).toBe(m.envelope.length + m.header!.length + m.id.length + 128);
  });

  it('limits messages per account', async () => {
    const tight = await createTestDeps(tdb.database, { clock, config: { peopleLimits: { ...deps.config.peopleLimits, sendPerAccount: { max: 2, windowMs: 60_000 } } } });
    const erin = await confirmedUser(tight, 'erin');
    await connect(erin, bob);
    await erin.api.messages.send(message(bob.userId));
    await erin.api.messages.send(message(bob.userId));
    const before = await settled();
    expect((await failure(erin.api.messages.send(message(bob.userId)))).code).toBe('TOO_MANY_REQUESTS');
    expect((await settled()).messages).toEqual(before.messages);
  });

  it('wakes the recipient’s live stream on a new message', async () => {
    const seq = async () => Number((await tdb.database.db.selectFrom('users').select('people_seq').where('id', '=', bob.userId).executeTakeFirstOrThrow()).people_seq);
    const controller = new AbortController();
    const stream = await caller(deps, bob.token, '127.0.0.1', controller.signal).events.onChange({ cursor: 1_000_000, linkSeq: 0, peopleSeq: await seq() });
    const iterator = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    const next = iterator.next();
    await alice.api.messages.send(message(bob.userId));
    const event = (await next).value as { id: string; data: { peopleSeq: number } } | [string, { peopleSeq: number }];
    const data = Array.isArray(event) ? event[1] : event.data;
    expect(data.peopleSeq).toBe(await seq());
    controller.abort();
    await iterator.return?.();
  });
});
