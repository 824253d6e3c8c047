// SECURITY.md 21: every procedure checks authorization, not only authentication. A third user,
// mallory, calls every procedure of the router with alice's and bob's ids (their containers,
// records, links, connection, invitations, messages). Each call is refused (NOT_FOUND, or a clear error about
// mallory's own data) or answers about mallory only: no answer carries anything of theirs. Then the
// database, minus mallory's own rows, is what it was. Runs on SQLite and PostgreSQL.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/deps.ts';
import { appRouter } from '../../server/routers/_app.ts';
import { b64, caller, createTestDatabase, createTestDeps, databaseName, recordId, registration, snapshot, type TestDatabase } from './helpers.ts';
import { createTestLink, HOUR, linkInput, revealOf, type TestLink } from './link-fixtures.ts';
import { confirmedUser, connect, message, type User } from './people-fixtures.ts';
import { key, roster, shareId } from './share-fixtures.ts';

let tdb: TestDatabase;
let deps: Deps;
let alice: User;
let bob: User;
let dana: User;
let mallory: User;
let aliceRecord: string;
let link: TestLink;
let toBob: ReturnType<typeof message>;
let toAlice: ReturnType<typeof message>;
let inviteToDana: string;
let inviteToEmail: string;
let danaInvitesAlice: string;
let aliceShare: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = await createTestDeps(tdb.database);
  alice = await confirmedUser(deps, 'alice');
  bob = await confirmedUser(deps, 'bob');
  dana = await confirmedUser(deps, 'dana');
  mallory = await confirmedUser(deps, 'mallory');
  aliceRecord = recordId();
  await alice.api.vault.put({ container: alice.userId, id: aliceRecord, baseRevision: 0, keyEpoch: 0, data: b64(64) });
  await alice.api.vault.putSnapshot({ data: b64(64) });
  link = await createTestLink(alice, Date.now(), { recordIds: [aliceRecord] });
  await connect(alice, bob);
  await alice.api.people.requestSharing({ userId: bob.userId });
  toBob = message(bob.userId);
  await alice.api.messages.send(toBob);
  toAlice = message(alice.userId);
  await bob.api.messages.send(toAlice);
  inviteToDana = (await alice.api.people.invite({ userId: dana.userId })).invitation.id;
  inviteToEmail = (await alice.api.people.invite({ email: 'someone@example.com' })).invitation.id;
  danaInvitesAlice = (await dana.api.people.invite({ email: alice.input.email })).invitation.id;
  aliceShare = shareId();
  await alice.api.shares.create({ container: aliceShare, roster: roster(), keys: [key(alice, 'grant')] });
  await deps.tasks.drain();
});
afterAll(async () => {
  await tdb.drop();
});

type Call = () => Promise<unknown>;
/** 'refused': must fail; 'own': may answer, but only about mallory; 'public': open by design (say why). */
type Walk = { calls: Array<{ label: string; call: Call; kind: 'refused' | 'own' }> } | { publicBecause: string };

function walk(): Record<string, Walk> {
  const m = mallory.api;
  const refused = (label: string, call: Call) => ({ label, call, kind: 'refused' as const });
  const own = (label: string, call: Call) => ({ label, call, kind: 'own' as const });
  const theirIds = [alice.userId, bob.userId];
  return {
    'account.preLogin': { publicBecause: 'key-derivation salt and parameters, a stable decoy for unknown names (account.test.ts)' },
    'account.register': { publicBecause: 'makes a new account; a taken username is CONFLICT (registration.test.ts)' },
    'account.login': { publicBecause: 'guarded by the master password and the sign-in limits (account.test.ts)' },
    'links.metadata': { publicBecause: 'guarded by the link’s secret (lookup tag); links.test.ts' },
    'links.requestCode': { publicBecause: 'guarded by the link’s secret and the named addresses; link-mail.test.ts' },
    'links.reveal': { publicBecause: 'guarded by the link’s secret and proof; links.test.ts' },
    'account.confirmEmail': { calls: [own('a code (mallory’s address is confirmed already): nothing of anyone else’s', () => caller(deps, mallory.token).account.confirmEmail({ code: '12345678' }))] },
    'account.me': { calls: [own('me', () => m.account.me())] },
    'account.resendEmailCode': { calls: [own('a new code (mallory’s address is confirmed already): answers mallory’s own address', () => m.account.resendEmailCode())] },
    'account.changeEmail': { calls: [refused('to alice’s address (mallory’s is confirmed already)', () => m.account.changeEmail({ email: alice.input.email }))] },
    'account.changePassword': {
      calls: [refused('with alice’s auth key', () => m.account.changePassword({ authKey: alice.input.authKey, newAuthKey: b64(32), newSalt: b64(16), newKdf: registration('x').kdf, newWrappedUserKey: b64(72) }))],
    },
    // Run last (they end mallory's own sessions): see the test below.
    'account.logout': { calls: [] },
    'account.logoutEverywhere': { calls: [] },
    'vault.changes': { calls: [own('changes from 0: mallory’s own directory', () => m.vault.changes({ cursor: 0 }))] },
    'vault.containerChanges': { calls: [refused('alice’s container', () => m.vault.containerChanges({ container: alice.userId, cursor: 0 }))] },
    'vault.records': {
      calls: [
        refused('alice’s record in alice’s container', () => m.vault.records({ container: alice.userId, ids: [aliceRecord] })),
        own('alice’s record id in mallory’s own container', () => m.vault.records({ container: mallory.userId, ids: [aliceRecord] })),
      ],
    },
    'vault.put': {
      calls: [
        refused('into alice’s container', () => m.vault.put({ container: alice.userId, id: aliceRecord, baseRevision: 1, keyEpoch: 0, data: b64(8) })),
        refused('a new record into alice’s container', () => m.vault.put({ container: alice.userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(8) })),
        refused('alice’s record id in mallory’s own container', () => m.vault.put({ container: mallory.userId, id: aliceRecord, baseRevision: 1, keyEpoch: 0, data: b64(8) })),
      ],
    },
    // Its answer echoes the id mallory sent; what matters is that the conflict shows no current record.
    'vault.putMany': {
      calls: [
        refused('into alice’s container', () => m.vault.putMany({ container: alice.userId, records: [{ id: aliceRecord, baseRevision: 1, keyEpoch: 0, data: '', deleted: true }] })),
        own('alice’s record id in mallory’s own container', async () =>
          (await m.vault.putMany({ container: mallory.userId, records: [{ id: aliceRecord, baseRevision: 1, keyEpoch: 0, data: b64(8) }] })).results.map((r) => (r.status === 'conflict' ? { current: r.current } : r)),
        ),
      ],
    },
    'vault.move': {
      calls: [
        refused('alice’s record into mallory’s container', () => m.vault.move({ from: alice.userId, to: mallory.userId, toEpoch: 0, records: [{ id: aliceRecord, fromBaseRevision: 1, data: b64(8) }] })),
        refused('a record of mallory’s into alice’s share', () => m.vault.move({ from: mallory.userId, to: aliceShare, toEpoch: 1, records: [{ id: recordId(), fromBaseRevision: 1, data: b64(8) }] })),
      ],
    },
    // Every share procedure (shares-authz.test.ts walks them as each too-weak role too).
    'shares.create': {
      calls: [
        refused('with alice as a member', () => m.shares.create({ container: shareId(), roster: roster(), keys: [key(mallory, 'grant'), key(alice, 'read')] })),
        refused('alice’s share id', () => m.shares.create({ container: aliceShare, roster: roster(), keys: [key(mallory, 'grant')] })),
      ],
    },
    'shares.get': { calls: [refused('alice’s share', () => m.shares.get({ container: aliceShare }))] },
    'shares.accept': { calls: [refused('alice’s share', () => m.shares.accept({ container: aliceShare }))] },
    'shares.decline': { calls: [refused('alice’s share', () => m.shares.decline({ container: aliceShare }))] },
    'shares.leave': { calls: [refused('alice’s share', () => m.shares.leave({ container: aliceShare }))] },
    'shares.grant': { calls: [refused('mallory into alice’s share', () => m.shares.grant({ container: aliceShare, epoch: 1, keys: [key(mallory, 'grant')] }))] },
    'shares.rotate': { calls: [refused('alice’s share', () => m.shares.rotate({ container: aliceShare, fromEpoch: 1, roster: roster(), keys: [key(mallory, 'grant')] }))] },
    'shares.removeMember': { calls: [refused('alice from her share', () => m.shares.removeMember({ container: aliceShare, userId: alice.userId }))] },
    'vault.snapshot': { calls: [own('snapshot', () => m.vault.snapshot())] },
    'vault.putSnapshot': { calls: [] },
    'links.create': {
      calls: [
        refused('carrying alice’s record', () => m.links.create(linkInput([aliceRecord], Date.now()))),
        refused('alice’s link id', () => m.links.create({ ...linkInput([aliceRecord], Date.now()), id: link.id })),
      ],
    },
    'links.list': { calls: [own('list', () => m.links.list())] },
    'links.revoke': { calls: [refused('alice’s link', () => m.links.revoke({ id: link.id }))] },
    'links.sendEmail': {
      calls: [refused('alice’s link', () => m.links.sendEmail({ id: link.id, to: 'x@example.com', senderName: 'M', note: '', url: `https://vault.example/l/${link.id}#${b64(32)}` }))],
    },
    'events.onChange': { calls: [] },
    'people.lookup': { calls: [own('by alice’s email', () => m.people.lookup({ email: alice.input.email }))] },
    'people.invite': { calls: [] },
    'people.invitations': { calls: [own('invitations', () => m.people.invitations())] },
    'people.acceptInvitation': {
      calls: [inviteToDana, inviteToEmail, danaInvitesAlice].map((id) => refused(`invitation ${id}`, () => m.people.acceptInvitation({ id }))),
    },
    'people.declineInvitation': {
      calls: [inviteToDana, inviteToEmail, danaInvitesAlice].map((id) => refused(`invitation ${id}`, () => m.people.declineInvitation({ id }))),
    },
    'people.cancelInvitation': {
      calls: [inviteToDana, inviteToEmail, danaInvitesAlice].map((id) => refused(`invitation ${id}`, () => m.people.cancelInvitation({ id }))),
    },
    'people.list': { calls: [own('list', () => m.people.list())] },
    'people.requestSharing': { calls: theirIds.map((userId) => refused(userId, () => m.people.requestSharing({ userId }))) },
    'people.acceptSharing': { calls: theirIds.map((userId) => refused(userId, () => m.people.acceptSharing({ userId }))) },
    'people.stopSharing': { calls: theirIds.map((userId) => refused(userId, () => m.people.stopSharing({ userId }))) },
    'people.remove': { calls: theirIds.map((userId) => refused(userId, () => m.people.remove({ userId }))) },
    'messages.send': {
      calls: [
        ...theirIds.map((userId) => refused(`to ${userId}`, () => m.messages.send(message(userId)))),
        refused('reusing alice’s message id', () => m.messages.send({ ...toBob, envelope: b64(100) })),
        refused('replaying alice’s message as if a retry', () => m.messages.send(toBob)),
      ],
    },
    'messages.inbox': { calls: [own('inbox', () => m.messages.inbox()), own('from alice’s cursor', () => m.messages.inbox({ before: `${Date.now() + 1000}:${toBob.id}` }))] },
    'messages.sent': { calls: [own('sent', () => m.messages.sent())] },
    'messages.get': { calls: [toBob.id, toAlice.id].map((id) => refused(id, () => m.messages.get({ id }))) },
    'messages.markRead': { calls: [toBob.id, toAlice.id].map((id) => refused(id, () => m.messages.markRead({ ids: [id] }))) },
    'messages.delete': { calls: [toBob.id, toAlice.id].map((id) => refused(id, () => m.messages.delete({ id }))) },
    'messages.unreadCount': { calls: [own('count', () => m.messages.unreadCount())] },
  };
}

/** Everything of alice's, bob's and dana's that must never reach mallory. */
function theirMarkers(): string[] {
  return [alice.userId, bob.userId, dana.userId, aliceShare, 'alice@', 'bob@', 'dana@', 'someone@', aliceRecord, link.id, link.payload, toBob.id, toBob.envelope, toBob.header!, toAlice.id, toAlice.envelope, inviteToDana, inviteToEmail, danaInvitesAlice];
}

/** The database without mallory's own rows (her account, sessions, counters, records). */
async function othersRows() {
  const snap = await snapshot(tdb.database);
  const mine = (row: unknown) => JSON.stringify(row).includes(mallory.userId) || JSON.stringify(row).includes('mallory');
  const rateKeysOfOthers = (rows: unknown[]) => rows.filter((r) => !mine(r) && !/^(register-address|login-address|link-pickup):/.test((r as { key: string }).key));
  return Object.fromEntries(Object.entries(snap).map(([table, rows]) => [table, table === 'rate_limits' ? rateKeysOfOthers(rows) : rows.filter((r) => !mine(r))]));
}

describe(`authorization walk on ${databaseName}`, () => {
  it('covers every procedure of the router', () => {
    expect(Object.keys(walk()).sort()).toEqual(Object.keys(appRouter._def.procedures).sort());
  });

  it('as a third user with the others’ ids: every call is refused or answers about the caller only, and nothing of theirs changes', async () => {
    const before = await othersRows();
    const markers = theirMarkers();
    let calls = 0;
    for (const [name, entry] of Object.entries(walk())) {
      if ('publicBecause' in entry) continue;
      for (const { label, call, kind } of entry.calls) {
        calls++;
        const where = `${name} (${label})`;
        let result: unknown;
        let error: unknown = null;
        try {
          result = await call();
        } catch (e) {
          error = e;
        }
        if (kind === 'refused') {
          expect(error, where).toBeInstanceOf(TRPCError);
          expect(['NOT_FOUND', 'CONFLICT', 'BAD_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN'], `${where}: ${(error as TRPCError).code}`).toContain((error as TRPCError).code);
        } else {
          expect(error, where).toBeNull();
        }
        const said = JSON.stringify(result ?? null) + (error instanceof TRPCError ? JSON.stringify({ message: error.message, cause: (error.cause as { details?: unknown })?.details }) : '');
        for (const marker of markers) expect(said.includes(marker), `${where} revealed ${marker.slice(0, 12)}…`).toBe(false);
      }
    }
    expect(calls).toBeGreaterThan(35);
    await deps.tasks.drain();
    expect(await othersRows()).toEqual(before);
    // The positive control: the same calls as the owners do work (a walk that refused everything would pass too).
    expect((await bob.api.messages.get({ id: toBob.id })).message.envelope).toBe(toBob.envelope);
    expect((await dana.api.people.invitations()).incoming.map((i) => i.id)).toEqual([inviteToDana]);
    expect((await bob.api.people.list()).connections[0]).toMatchObject({ userId: alice.userId, sharingRequest: 'received' });
  });

  it('an invitation is all a stranger can make, and it changes nothing until accepted', async () => {
    const before = await othersRows();
    const { invitation } = await mallory.api.people.invite({ userId: alice.userId });
    expect(JSON.stringify(invitation)).not.toContain(alice.input.email);
    expect((await alice.api.people.list()).connections.map((c) => c.userId)).not.toContain(mallory.userId);
    await alice.api.people.declineInvitation({ id: invitation.id });
    const after = await othersRows();
    // Only alice's people counter moved (she was told of the invitation and its end).
    expect({ ...after, users: undefined }).toEqual({ ...before, users: undefined });
    expect(after.users!.map((u) => ({ ...(u as object), people_seq: 0 }))).toEqual(before.users!.map((u) => ({ ...(u as object), people_seq: 0 })));
  });

  it('subscriptions and sign-outs act on the caller only', async () => {
    const before = await othersRows();
    const controller = new AbortController();
    const stream = await caller(deps, mallory.token, '127.0.0.1', controller.signal).events.onChange({ cursor: 0, linkSeq: 0, peopleSeq: 0 });
    const iterator = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    const next = iterator.next();
    await mallory.api.vault.put({ container: mallory.userId, id: recordId(), baseRevision: 0, keyEpoch: 0, data: b64(8) });
    const event = JSON.stringify((await next).value);
    for (const marker of theirMarkers()) expect(event).not.toContain(marker);
    controller.abort();
    await iterator.return?.();
    await mallory.api.vault.putSnapshot({ data: b64(32) });
    expect((await alice.api.vault.snapshot())!.data).not.toBe((await mallory.api.vault.snapshot())!.data);
    await mallory.api.account.logoutEverywhere();
    expect(await othersRows()).toEqual(before);
    // Alice and bob are still signed in.
    expect((await alice.api.account.me()).username).toBe('alice');
    expect((await bob.api.account.me()).username).toBe('bob');
  });
});

void HOUR;
void revealOf;
