// SECURITY.md 27: every bad input gets a clear error and changes nothing. Each procedure gets its
// valid input with every field, in turn, replaced by wrong types, malformed and oversized values;
// the whole database is compared before and after every call.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/deps.ts';
import { appRouter } from '../../server/routers/_app.ts';
import { b64, caller, createTestDatabase, createTestDeps, databaseName, recordId, registration, signUp, snapshot, type TestDatabase } from './helpers.ts';
import { BIG, linkCreate, mutations, weakKdf, WHOLE_BAD, type Case, type Json } from './bad-input-fixtures.ts';
import { shareCases } from './bad-input-shares.ts';

let tdb: TestDatabase;
let deps: Deps;
let alice: Awaited<ReturnType<typeof signUp>>;
let existingId: string;
let linkRecordId: string;
let openLinkId: string;
let bobId: string;
let carolId: string;
let pendingInvitationId: string;
let messageToCarol: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = await createTestDeps(tdb.database);
  alice = await signUp(deps, 'alice');
  bobId = (await signUp(deps, 'bob')).userId;
  existingId = recordId();
  await alice.api.vault.put({ container: alice.userId, id: existingId, baseRevision: 0, keyEpoch: 0, data: b64(40) });
  await alice.api.vault.putMany({ container: alice.userId, records: [{ id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(40) }, { id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(40) }] });
  await caller(deps, null, '10.9.9.9').account.login({ username: 'alice', authKey: b64(32) }).catch(() => {});
  linkRecordId = recordId();
  await alice.api.vault.put({ container: alice.userId, id: linkRecordId, baseRevision: 0, keyEpoch: 0, data: b64(40) });
  openLinkId = b64(16);
  await alice.api.links.create({ ...linkCreate([linkRecordId]), id: openLinkId });
  // People and messages: a pending invitation (alice to bob), a connection and a message (alice to carol).
  pendingInvitationId = (await alice.api.people.invite({ userId: bobId })).invitation.id;
  const carol = await signUp(deps, 'carol-friend');
  carolId = carol.userId;
  await carol.api.people.acceptInvitation({ id: (await alice.api.people.invite({ userId: carolId })).invitation.id });
  messageToCarol = recordId();
  await alice.api.messages.send({ id: messageToCarol, recipientId: carolId, header: b64(64), envelope: b64(500) });
  await deps.tasks.drain();
});

afterAll(async () => {
  await tdb.drop();
});

function procedureCases(): Record<string, { cases: Case[]; call: (input: Json) => Promise<unknown> }> {
  const api = () => caller(deps, alice.token) as unknown as Record<string, Record<string, (i: Json) => Promise<unknown>>>;
  const anon = () => caller(deps) as unknown as Record<string, Record<string, (i: Json) => Promise<unknown>>>;
  const reg = { ...registration('carol'), deviceName: 'Laptop' };
  const record = { id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(30), deleted: false };
  const put = { container: alice.userId, ...record };
  return {
    'account.preLogin': { cases: mutations({ username: 'alice' }), call: (i) => anon().account!.preLogin!(i) },
    'account.register': {
      cases: [
        ...mutations(reg, { optional: ['deviceName'], validAlso: { deviceName: ['!!!', 'é'] } }),
        { label: 'weak kdf', input: { ...reg, kdf: weakKdf } },
        { label: 'kdf algorithm argon2i', input: { ...reg, kdf: { ...reg.kdf, algorithm: 'argon2i' } } },
        { label: 'salt of 32 bytes', input: { ...reg, salt: b64(32) } },
        { label: 'public key of 33 bytes', input: { ...reg, identity: { ...reg.identity, boxPublicKey: b64(33) } } },
        { label: 'padded base64', input: { ...reg, authKey: `${b64(32)}=` } },
        { label: 'standard base64 alphabet', input: { ...reg, authKey: `${b64(32).slice(0, -2)}+/` } },
      ],
      call: (i) => anon().account!.register!(i),
    },
    'account.login': {
      cases: mutations({ username: 'alice', authKey: b64(32), deviceName: 'Phone' }, { optional: ['deviceName'], validAlso: { deviceName: ['!!!', 'é'] } }),
      call: (i) => anon().account!.login!(i),
    },
    'account.changePassword': {
      cases: [
        ...mutations({ authKey: alice.input.authKey, newAuthKey: b64(32), newSalt: b64(16), newKdf: reg.kdf, newWrappedUserKey: b64(72) }),
        { label: 'weak new kdf', input: { authKey: alice.input.authKey, newAuthKey: b64(32), newSalt: b64(16), newKdf: weakKdf, newWrappedUserKey: b64(72) } },
      ],
      call: (i) => api().account!.changePassword!(i),
    },
    // No input: their only input is the token. Junk input with a junk token must change nothing.
    'account.logout': { cases: WHOLE_BAD.map((input) => ({ label: 'bad token', input })), call: (i) => caller(deps, b64(32)).account.logout(i as undefined) },
    'account.logoutEverywhere': {
      cases: WHOLE_BAD.map((input) => ({ label: 'bad token', input })),
      call: (i) => caller(deps, 'not-a-token').account.logoutEverywhere(i as undefined),
    },
    'account.confirmEmail': {
      cases: [
        ...mutations({ code: '12345678' }),
        { label: 'seven digits', input: { code: '1234567' } },
        { label: 'nine digits', input: { code: '123456789' } },
        { label: 'letters', input: { code: '1234567a' } },
      ],
      call: (i) => api().account!.confirmEmail!(i),
    },
    'account.resendEmailCode': {
      cases: WHOLE_BAD.map((input) => ({ label: 'bad token', input })),
      call: (i) => caller(deps, b64(32)).account.resendEmailCode(i as undefined),
    },
    'account.changeEmail': {
      cases: [
        ...mutations({ email: 'alice.new@example.com' }),
        { label: 'no domain', input: { email: 'alice@' } },
        { label: 'two addresses', input: { email: 'a@example.com, b@example.com' } },
        { label: '255 characters', input: { email: `${'a'.repeat(243)}@example.com` } },
      ],
      call: (i) => api().account!.changeEmail!(i),
    },
    'account.me': { cases: WHOLE_BAD.map((input) => ({ label: 'bad token', input })), call: (i) => caller(deps, null).account.me(i as undefined) },
    'vault.changes': { cases: mutations({ cursor: 0 }), call: (i) => api().vault!.changes!(i) },
    'vault.containerChanges': {
      cases: [
        ...mutations({ container: alice.userId, cursor: 0, limit: 10 }, { optional: ['limit'] }),
        { label: 'limit 0', input: { container: alice.userId, cursor: 0, limit: 0 } },
        { label: 'limit 1001', input: { container: alice.userId, cursor: 0, limit: 1001 } },
      ],
      call: (i) => api().vault!.containerChanges!(i),
    },
    'vault.put': {
      cases: [
        ...mutations(put, { optional: ['deleted'], validAlso: { data: [BIG.slice(0, 0)] } }),
        { label: 'data over 256 KiB', input: { ...put, data: b64(256 * 1024 + 1) } },
        { label: 'id too short', input: { ...put, id: 'abc' } },
        { label: 'id with a slash', input: { ...put, id: `${recordId()}/x` } },
        { label: 'id too long', input: { ...put, id: 'a'.repeat(65) } },
        { label: 'empty data, not deleted', input: { ...put, data: '' } },
        { label: 'existing id, stale base (conflict)', input: { ...put, id: existingId } },
        { label: 'a key epoch the container is not at (conflict)', input: { ...put, keyEpoch: 1 } },
      ],
      call: (i) => api().vault!.put!(i),
    },
    'vault.putMany': {
      cases: [
        ...mutations({ container: alice.userId, records: [record] }),
        { label: 'no records', input: { container: alice.userId, records: [] } },
        { label: '501 records', input: { container: alice.userId, records: Array.from({ length: 501 }, () => ({ id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(8) })) } },
        { label: 'duplicate ids', input: { container: alice.userId, records: [record, { ...record, data: b64(8) }] } },
        { label: 'one bad record among good ones', input: { container: alice.userId, records: [{ ...record, id: recordId() }, { ...record, id: recordId(), baseRevision: -1 }] } },
        ...mutations(record, { optional: ['deleted'] }).map((c) => ({ label: `records[0].${c.label}`, input: { container: alice.userId, records: [c.input] } })),
      ],
      call: (i) => api().vault!.putMany!(i),
    },
    'vault.records': {
      cases: [
        ...mutations({ container: alice.userId, ids: [existingId] }),
        { label: 'no ids', input: { container: alice.userId, ids: [] } },
        { label: '101 ids', input: { container: alice.userId, ids: Array.from({ length: 101 }, () => recordId()) } },
        { label: 'id with a slash', input: { container: alice.userId, ids: [`${recordId()}/x`] } },
      ],
      call: (i) => api().vault!.records!(i),
    },
    'vault.snapshot': { cases: WHOLE_BAD.map((input) => ({ label: 'bad token', input })), call: (i) => caller(deps, b64(32)).vault.snapshot(i as undefined) },
    'vault.putSnapshot': {
      cases: [
        ...mutations({ data: b64(64) }, { validAlso: { data: [BIG] } }),
        { label: 'empty snapshot', input: { data: '' } },
        { label: 'snapshot over 16 MiB', input: { data: b64(16 * 1024 * 1024 + 3) } },
        { label: 'padded base64', input: { data: `${b64(63)}=` } },
      ],
      call: (i) => api().vault!.putSnapshot!(i),
    },
    'links.create': {
      cases: [
        ...mutations(linkCreate([linkRecordId]), { optional: ['maxUses', 'maxAttempts', 'emails'], validAlso: { maxAttempts: [null] } }),
        { label: 'uses 101', input: { ...linkCreate([linkRecordId]), maxUses: 101 } },
        { label: 'expiry in the past', input: { ...linkCreate([linkRecordId]), expiresAt: Date.now() - 1000 } },
        { label: 'expiry beyond 30 days', input: { ...linkCreate([linkRecordId]), expiresAt: Date.now() + 31 * 24 * 3600_000 } },
        { label: 'payload over 256 KiB', input: { ...linkCreate([linkRecordId]), payload: b64(200 * 1024) } },
        { label: 'an unknown entry', input: { ...linkCreate([linkRecordId]), recordIds: [recordId()] } },
        { label: 'a PIN with 10 attempts', input: { ...linkCreate([linkRecordId]), maxAttempts: 10 } },
        { label: 'an existing link id', input: { ...linkCreate([linkRecordId]), id: openLinkId } },
        { label: 'an invalid email', input: { ...linkCreate([linkRecordId]), emails: ['dana@'] } },
        { label: '11 emails', input: { ...linkCreate([linkRecordId]), emails: Array.from({ length: 11 }, (_, i) => `p${i}@example.com`) } },
      ],
      call: (i) => api().links!.create!(i),
    },
    'links.list': { cases: WHOLE_BAD.map((input) => ({ label: 'bad token', input })), call: (i) => caller(deps, b64(32)).links.list(i as undefined) },
    'links.revoke': { cases: mutations({ id: openLinkId }), call: (i) => api().links!.revoke!(i) },
    'links.sendEmail': {
      cases: [
        ...mutations(
          { id: openLinkId, to: 'dana@example.com', senderName: 'Alice', note: 'hello', url: `https://vault.example/l/${openLinkId}#${b64(32)}` },
          { validAlso: { senderName: ['!!!', 'é'], note: ['', '!!!', 'é'] } },
        ),
        { label: 'note of 501 characters', input: { id: openLinkId, to: 'dana@example.com', senderName: 'A', note: 'n'.repeat(501), url: `https://vault.example/l/${openLinkId}#${b64(32)}` } },
        { label: 'another link’s URL', input: { id: openLinkId, to: 'dana@example.com', senderName: 'A', note: '', url: `https://vault.example/l/${b64(16)}#${b64(32)}` } },
      ],
      call: (i) => api().links!.sendEmail!(i),
    },
    'links.metadata': { cases: mutations({ id: openLinkId, lookupTag: b64(32) }), call: (i) => anon().links!.metadata!(i) },
    'links.requestCode': { cases: mutations({ id: openLinkId, lookupTag: b64(32), email: 'dana@example.com' }), call: (i) => anon().links!.requestCode!(i) },
    'links.reveal': {
      cases: [
        ...mutations({ id: openLinkId, lookupTag: b64(32), proof: b64(32), emailCode: { email: 'dana@example.com', code: '12345678' } }, { optional: ['emailCode'] }),
        { label: 'a code of 7 digits', input: { id: openLinkId, lookupTag: b64(32), proof: b64(32), emailCode: { email: 'dana@example.com', code: '1234567' } } },
      ],
      call: (i) => anon().links!.reveal!(i),
    },
    'people.lookup': {
      cases: [...mutations({ username: 'bob' }), ...mutations({ email: 'bob@example.com' }).slice(WHOLE_BAD.length), { label: 'username and email', input: { username: 'bob', email: 'bob@example.com' } }],
      call: (i) => api().people!.lookup!(i),
    },
    'people.invite': {
      cases: [
        ...mutations({ userId: bobId, kind: 'sharing' }, { optional: ['kind'] }),
        ...mutations({ email: 'zed@example.com', kind: 'messages' }, { optional: ['kind'] }).slice(WHOLE_BAD.length),
        { label: 'userId and email', input: { userId: bobId, email: 'zed@example.com' } },
        { label: 'kind friends', input: { userId: bobId, kind: 'friends' } },
        { label: 'yourself', input: { userId: alice.userId } },
        { label: 'invited already', input: { userId: bobId } },
        { label: 'connected already', input: { userId: carolId } },
      ],
      call: (i) => api().people!.invite!(i),
    },
    'people.invitations': { cases: WHOLE_BAD.map((input) => ({ label: 'bad token', input })), call: (i) => caller(deps, b64(32)).people.invitations(i as undefined) },
    'people.acceptInvitation': { cases: mutations({ id: pendingInvitationId }), call: (i) => api().people!.acceptInvitation!(i) },
    'people.declineInvitation': { cases: mutations({ id: pendingInvitationId }), call: (i) => api().people!.declineInvitation!(i) },
    'people.cancelInvitation': { cases: mutations({ id: pendingInvitationId }), call: (i) => api().people!.cancelInvitation!(i) },
    'people.list': { cases: WHOLE_BAD.map((input) => ({ label: 'bad token', input })), call: (i) => caller(deps, b64(32)).people.list(i as undefined) },
    'people.requestSharing': { cases: mutations({ userId: carolId }), call: (i) => api().people!.requestSharing!(i) },
    'people.acceptSharing': {
      cases: [...mutations({ userId: carolId }), { label: 'no request to accept', input: { userId: carolId } }],
      call: (i) => api().people!.acceptSharing!(i),
    },
    'people.stopSharing': { cases: mutations({ userId: carolId }), call: (i) => api().people!.stopSharing!(i) },
    'people.remove': { cases: mutations({ userId: carolId }), call: (i) => api().people!.remove!(i) },
    'messages.send': {
      cases: [
        ...mutations({ id: recordId(), recipientId: carolId, header: b64(64), envelope: b64(300) }, { optional: ['header'], validAlso: { header: [null], envelope: [BIG] } }),
        { label: 'envelope over 512 KiB', input: { id: recordId(), recipientId: carolId, header: null, envelope: b64(512 * 1024 + 3) } },
        { label: 'header over 4 KiB', input: { id: recordId(), recipientId: carolId, header: b64(4 * 1024 + 3), envelope: b64(300) } },
        { label: 'an id already used, another body', input: { id: messageToCarol, recipientId: carolId, header: null, envelope: b64(300) } },
      ],
      call: (i) => api().messages!.send!(i),
    },
    'messages.inbox': {
      cases: [
        ...mutations({ before: `${Date.now()}:${recordId()}`, limit: 10 }, { optional: ['before', 'limit'], validAlso: { before: [null] } }).filter((c) => c.input !== undefined),
        { label: 'limit 0', input: { limit: 0 } },
        { label: 'limit 101', input: { limit: 101 } },
      ],
      call: (i) => api().messages!.inbox!(i),
    },
    'messages.sent': {
      cases: mutations({ before: `${Date.now()}:${recordId()}`, limit: 10 }, { optional: ['before', 'limit'], validAlso: { before: [null] } }).filter((c) => c.input !== undefined),
      call: (i) => api().messages!.sent!(i),
    },
    'messages.get': { cases: mutations({ id: messageToCarol }), call: (i) => api().messages!.get!(i) },
    'messages.markRead': {
      cases: [...mutations({ ids: [messageToCarol] }), { label: 'no ids', input: { ids: [] } }, { label: '101 ids', input: { ids: Array.from({ length: 101 }, () => recordId()) } }],
      call: (i) => api().messages!.markRead!(i),
    },
    'messages.delete': { cases: mutations({ id: messageToCarol }), call: (i) => api().messages!.delete!(i) },
    'messages.unreadCount': { cases: WHOLE_BAD.map((input) => ({ label: 'bad token', input })), call: (i) => caller(deps, b64(32)).messages.unreadCount(i as undefined) },
    ...shareCases({ api, aliceId: alice.userId, bobId, existingId }),
    'events.onChange': {
      cases: [...mutations({ cursor: 0, linkSeq: 0, peopleSeq: 0, lastEventId: '1' }, { optional: ['lastEventId', 'linkSeq', 'peopleSeq'], validAlso: { lastEventId: [null, '', '!!!', '\u0000', 'é'] } })],
      call: (i) => api().events!.onChange!(i),
    },
  };
}

describe(`bad input on ${databaseName}`, () => {
  const table = procedureCases;

  it('covers every procedure of the router', () => {
    const procedures = Object.keys(appRouter._def.procedures).sort();
    expect(Object.keys(table()).sort()).toEqual(procedures);
  });

  it('refuses every bad input with a clear error and changes nothing', async () => {
    const before = await snapshot(tdb.database);
    let calls = 0;
    for (const [name, { cases, call }] of Object.entries(table())) {
      for (const c of cases) {
        calls++;
        let error: unknown = null;
        try {
          const result = await call(c.input);
          // A subscription that was (wrongly) accepted would hand back an iterable.
          error = new Error(`accepted: ${JSON.stringify(result)?.slice(0, 100)}`);
        } catch (e) {
          error = e;
        }
        const where = `${name} with ${c.label}`;
        expect(error, where).toBeInstanceOf(TRPCError);
        const e = error as TRPCError;
        expect(['BAD_REQUEST', 'UNAUTHORIZED', 'CONFLICT', 'PAYLOAD_TOO_LARGE'], `${where}: ${e.code} ${e.message}`).toContain(e.code);
        expect(e.message.length, where).toBeGreaterThan(10);
        expect(e.message, where).not.toContain(BIG.slice(0, 50));
        expect(await snapshot(tdb.database), where).toEqual(before);
      }
    }
    expect(calls).toBeGreaterThan(400);
    // Some 700 calls, each followed by a snapshot of every table: longer than the default on a busy machine.
  }, 180_000);
});
