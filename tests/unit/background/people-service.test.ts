// People and messages against two real backgrounds (fakeBrowser, fake IndexedDB) and an in-memory
// server: invitations, pinning and the key-change warning, sealing to the pinned key, opening with
// signature checks, saving copies, and what the server gets to see.
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { generateIdentity, toBase64Url } from '../../../lib/crypto';
import { emptyEntryFields } from '../../../lib/model/entry';
import { fakePeopleWorld } from './people-fake';
import { newDb, startTestBackground } from './harness';

const PASSWORD = 'correct horse battery';
type World = ReturnType<typeof fakePeopleWorld>;

async function person(world: World, userId: string, username: string) {
  const bg = startTestBackground(newDb(), { peopleServer: world.server(userId) });
  await bg.must('session.create', { password: PASSWORD });
  const account = (await bg.repo.account())!;
  await bg.repo.replaceAccount({ ...account, userId });
  world.users.set(userId, { userId, username, boxPublicKey: toBase64Url(account.boxPublicKey), signingPublicKey: toBase64Url(account.signingPublicKey) });
  return bg;
}

async function connected(world: World) {
  const ann = await person(world, 'u-ann', 'ann');
  const bob = await person(world, 'u-bob', 'bob');
  const found = await ann.must('people.lookup', { query: 'bob' });
  if (found.found !== 'user') throw new Error('bob not found');
  await ann.must('people.invite', { userId: found.userId });
  const { incoming } = await bob.must('people.overview');
  await bob.must('people.acceptInvitation', { id: incoming[0]!.id });
  return { ann, bob };
}

describe('people', () => {
  let world: World;
  beforeEach(() => {
    fakeBrowser.reset();
    world = fakePeopleWorld();
  });

  it('invite by username, accept: both show the same fingerprint for each person', async () => {
    const ann = await person(world, 'u-ann', 'ann');
    const bob = await person(world, 'u-bob', 'bob');
    const found = await ann.must('people.lookup', { query: ' Bob ' });
    expect(found).toMatchObject({ found: 'user', username: 'bob', self: false });
    await ann.must('people.invite', { userId: 'u-bob' });
    expect((await ann.must('people.overview')).outgoing).toMatchObject([{ username: 'bob' }]);
    const { incoming, me: bobMe } = await bob.must('people.overview');
    expect(incoming).toMatchObject([{ username: 'ann' }]);
    await bob.must('people.acceptInvitation', { id: incoming[0]!.id });

    const annView = await ann.must('people.overview');
    const bobView = await bob.must('people.overview');
    expect(annView.connections).toMatchObject([{ username: 'bob', kind: 'messages', keyState: 'same', verified: false }]);
    expect(annView.connections[0]!.fingerprint).toBe(bobMe.fingerprint);
    expect(bobView.connections[0]!.fingerprint).toBe(annView.me.fingerprint);
    expect((found as { fingerprint: string }).fingerprint).toBe(bobMe.fingerprint);
  });

  it('an unknown username finds no one; an email address is offered an invitation; bad input is refused', async () => {
    const ann = await person(world, 'u-ann', 'ann');
    expect(await ann.must('people.lookup', { query: 'nobody' })).toEqual({ found: 'none', email: false });
    expect(await ann.must('people.lookup', { query: 'bob@example.com' })).toEqual({ found: 'none', email: true });
    expect(await ann.must('people.lookup', { query: 'ann' })).toMatchObject({ found: 'user', self: true });
    const bad = await ann.ask('people.lookup', { query: 'x' });
    expect(bad).toMatchObject({ ok: false, code: 'BAD_INPUT' });
    expect(await ann.ask('people.invite', { userId: 'u-ann' })).toMatchObject({ ok: false, code: 'BAD_INPUT' });
  });

  it('mark as verified; a key change shows the warning, blocks sending, and accepting pins the new key unverified', async () => {
    const { ann, bob } = await connected(world);
    await ann.must('people.markVerified', { userId: 'u-bob' });
    expect((await ann.must('people.overview')).connections[0]).toMatchObject({ verified: true, keyState: 'same' });
    const entry = await ann.must('vault.save', { fields: { ...emptyEntryFields(), title: 'Mail', password: 'pw-1' } });

    // The server now hands out other keys for Bob.
    const other = generateIdentity();
    world.users.set('u-bob', { ...world.users.get('u-bob')!, boxPublicKey: toBase64Url(other.box.publicKey), signingPublicKey: toBase64Url(other.signing.publicKey) });
    const warned = (await ann.must('people.overview')).connections[0]!;
    expect(warned).toMatchObject({ keyState: 'changed', verified: false });
    expect(warned.newFingerprint).toBeDefined();
    expect(warned.newFingerprint).not.toBe(warned.fingerprint);

    const before = world.envelopes.length;
    const refused = await ann.ask('messages.send', { recipientId: 'u-bob', entryIds: [entry.id], note: 'hi', includeNotes: false });
    expect(refused).toMatchObject({ ok: false, code: 'KEY_MISMATCH' });
    expect(world.envelopes.length).toBe(before);
    expect(await ann.ask('people.markVerified', { userId: 'u-bob' })).toMatchObject({ ok: false, code: 'KEY_MISMATCH' });

    await ann.must('people.acceptKey', { userId: 'u-bob' });
    const accepted = (await ann.must('people.overview')).connections[0]!;
    expect(accepted).toMatchObject({ keyState: 'same', verified: false, fingerprint: warned.newFingerprint });
    // Positive control: now it is sealed (to the new key) and reaches the server.
    await ann.must('messages.send', { recipientId: 'u-bob', entryIds: [entry.id], note: 'hi', includeNotes: false });
    expect(world.envelopes.length).toBe(before + 1);
    // Bob's real key cannot open what was sealed to the swapped one.
    const [inbox] = (await bob.must('messages.list', { box: 'in' })).messages;
    expect(await bob.must('messages.open', { id: inbox!.id })).toMatchObject({ verified: false });
  });

  it('sharing is requested by one side and accepted by the other; stop sharing; remove', async () => {
    const { ann, bob } = await connected(world);
    await ann.must('people.requestSharing', { userId: 'u-bob' });
    expect((await ann.must('people.overview')).connections[0]).toMatchObject({ kind: 'messages', sharingRequest: 'sent' });
    expect((await bob.must('people.overview')).connections[0]).toMatchObject({ sharingRequest: 'received' });
    await bob.must('people.acceptSharing', { userId: 'u-ann' });
    expect((await ann.must('people.overview')).connections[0]).toMatchObject({ kind: 'sharing', sharingRequest: 'none' });
    await ann.must('people.stopSharing', { userId: 'u-bob' });
    expect((await bob.must('people.overview')).connections[0]).toMatchObject({ kind: 'messages' });
    await bob.must('people.remove', { userId: 'u-ann' });
    expect((await ann.must('people.overview')).connections).toEqual([]);
    const entry = await ann.must('vault.save', { fields: { ...emptyEntryFields(), title: 'Mail' } });
    expect(await ann.ask('messages.send', { recipientId: 'u-bob', entryIds: [entry.id], note: '', includeNotes: false })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('decline and cancel leave no invitation on either side', async () => {
    const ann = await person(world, 'u-ann', 'ann');
    const bob = await person(world, 'u-bob', 'bob');
    await ann.must('people.invite', { userId: 'u-bob' });
    const { incoming } = await bob.must('people.overview');
    await bob.must('people.declineInvitation', { id: incoming[0]!.id });
    expect((await ann.must('people.overview')).outgoing).toEqual([]);
    await ann.must('people.invite', { userId: 'u-bob' });
    const { outgoing } = await ann.must('people.overview');
    await ann.must('people.cancelInvitation', { id: outgoing[0]!.id });
    expect((await bob.must('people.overview')).incoming).toEqual([]);
  });

  it('a server that cannot be reached gets a clear error and changes nothing', async () => {
    const ann = await person(world, 'u-ann', 'ann');
    world.setOffline(true);
    const r = await ann.ask('people.overview');
    expect(r).toMatchObject({ ok: false, code: 'NETWORK' });
  });
});

describe('messages', () => {
  let world: World;
  beforeEach(() => {
    fakeBrowser.reset();
    world = fakePeopleWorld();
  });

  async function withEntries() {
    const pair = await connected(world);
    const mail = await pair.ann.must('vault.save', { fields: { ...emptyEntryFields(), title: 'Mail', username: 'ann', password: 'pw-mail', urls: ['https://mail.example'], notes: 'recovery 1234', tags: ['work'], folder: 'Office' } });
    const bank = await pair.ann.must('vault.save', { fields: { ...emptyEntryFields(), title: 'Bank', password: 'pw-bank' } });
    return { ...pair, mail, bank };
  }

  it('sends a copy with a note; the recipient opens it verified, saves it into a folder; the server saw only ciphertext', async () => {
    const { ann, bob, mail, bank } = await withEntries();
    await ann.must('messages.send', { recipientId: 'u-bob', entryIds: [mail.id, bank.id], note: 'for the trip ✈', includeNotes: true });
    const inbox = await bob.must('messages.list', { box: 'in' });
    expect(inbox.unread).toBe(1);
    expect(inbox.messages).toMatchObject([{ peer: { username: 'ann' }, direction: 'in', readAt: null }]);
    const opened = await bob.must('messages.open', { id: inbox.messages[0]!.id });
    expect(opened).toMatchObject({ verified: true, note: 'for the trip ✈' });
    if (!opened.verified) throw new Error('not verified');
    expect(opened.entries.map((e) => e.title)).toEqual(['Mail', 'Bank']);
    expect(opened.entries[0]).toEqual({ title: 'Mail', username: 'ann', password: 'pw-mail', urls: ['https://mail.example'], notes: 'recovery 1234' });
    expect((await bob.must('messages.list', { box: 'in' })).unread).toBe(0);

    expect(await bob.must('messages.save', { id: opened.id, folder: 'From Ann' })).toEqual({ saved: 2 });
    const saved = (await bob.must('vault.list')).entries.find((e) => e.title === 'Mail')!;
    expect(saved).toMatchObject({ folder: 'From Ann', tags: [] });

    // Independence: Ann edits her entry; Bob's copy stays as it was sent.
    await ann.must('vault.save', { id: mail.id, baseRevision: mail.revision, fields: { ...emptyEntryFields(), title: 'Mail', password: 'pw-changed' } });
    expect((await bob.must('vault.get', { id: saved.id })).password).toBe('pw-mail');
    // The Sent log opens for Ann, exactly as sent.
    const sent = await ann.must('messages.list', { box: 'out' });
    const own = await ann.must('messages.open', { id: sent.messages[0]!.id });
    expect(own).toMatchObject({ verified: true, direction: 'out' });
    if (own.verified) expect(own.entries[0]!.password).toBe('pw-mail');

    const wire = JSON.stringify(world.envelopes);
    for (const secret of ['pw-mail', 'pw-bank', 'Mail', 'recovery', 'trip', 'mail.example', 'work', 'Office']) {
      expect(wire).not.toContain(secret);
      expect(wire).not.toContain(toBase64Url(new TextEncoder().encode(secret)));
    }
  });

  it('without "include notes" the copy has no notes; tags and folder never travel', async () => {
    const { ann, bob, mail } = await withEntries();
    await ann.must('messages.send', { recipientId: 'u-bob', entryIds: [mail.id], note: '', includeNotes: false });
    const [m] = (await bob.must('messages.list', { box: 'in' })).messages;
    const opened = await bob.must('messages.open', { id: m!.id });
    if (!opened.verified) throw new Error('not verified');
    expect(opened.entries[0]).toEqual({ title: 'Mail', username: 'ann', password: 'pw-mail', urls: ['https://mail.example'] });
  });

  it('refuses a note over 500 characters and an empty selection, sending nothing', async () => {
    const { ann, mail } = await withEntries();
    const long = await ann.ask('messages.send', { recipientId: 'u-bob', entryIds: [mail.id], note: 'x'.repeat(501), includeNotes: false });
    expect(long).toMatchObject({ ok: false, code: 'BAD_INPUT' });
    const none = await ann.ask('messages.send', { recipientId: 'u-bob', entryIds: [], note: '', includeNotes: false });
    expect(none).toMatchObject({ ok: false, code: 'BAD_INPUT' });
    expect(world.envelopes).toEqual([]);
    await ann.must('messages.send', { recipientId: 'u-bob', entryIds: [mail.id], note: 'x'.repeat(500), includeNotes: false });
    expect(world.envelopes.length).toBe(1);
  });

  it('a message altered on the server is shown as unverified and cannot be saved', async () => {
    const { ann, bob, mail } = await withEntries();
    await ann.must('messages.send', { recipientId: 'u-bob', entryIds: [mail.id], note: 'n', includeNotes: false });
    const stored = [...world.messages.values()][0]!;
    const bytes = Buffer.from(stored.envelope, 'base64url');
    bytes[bytes.length - 5]! ^= 1;
    stored.envelope = bytes.toString('base64url');
    const opened = await bob.must('messages.open', { id: stored.id });
    expect(opened).toMatchObject({ verified: false });
    const entriesBefore = (await bob.must('vault.list')).entries.length;
    expect(await bob.ask('messages.save', { id: stored.id, folder: '' })).toMatchObject({ ok: false, code: 'DECRYPT_FAILED' });
    expect((await bob.must('vault.list')).entries.length).toBe(entriesBefore);
  });

  it('deleting my copy leaves the other side’s', async () => {
    const { ann, bob, mail } = await withEntries();
    await ann.must('messages.send', { recipientId: 'u-bob', entryIds: [mail.id], note: 'n', includeNotes: false });
    const [m] = (await bob.must('messages.list', { box: 'in' })).messages;
    await bob.must('messages.delete', { id: m!.id });
    expect((await bob.must('messages.list', { box: 'in' })).messages).toEqual([]);
    expect((await ann.must('messages.list', { box: 'out' })).messages).toHaveLength(1);
  });
});
