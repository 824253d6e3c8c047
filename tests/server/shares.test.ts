// Shares (issue 14 step 2, server/SHARES-API.md): create, get, accept, records under the share's
// epoch, roles enforced by the server (read-only cannot write, no grant cannot change members), and
// grant (add members, change a role or end date). Runs on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../server/deps.ts';
import { b64, caller, createClock, createTestDatabase, createTestDeps, databaseName, recordId, snapshot, type TestDatabase } from './helpers.ts';
import { confirmedUser, connect, type User } from './people-fixtures.ts';
import { refusal } from './refusal.ts';
import { connectAll, key, makeShare, putRecord, roster, shareId, watermark } from './share-fixtures.ts';

let tdb: TestDatabase;
let deps: Deps;
const clock = createClock();
let owner: User;
let bob: User;
let carol: User;
let dave: User;
let stranger: User;

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = await createTestDeps(tdb.database, { clock });
  owner = await confirmedUser(deps, 'owner');
  bob = await confirmedUser(deps, 'bob');
  carol = await confirmedUser(deps, 'carol');
  dave = await confirmedUser(deps, 'dave');
  stranger = await confirmedUser(deps, 'stranger');
  await connectAll([owner, bob, carol, dave]);
  // A connection for messages only is not enough to share.
  await connect(owner, stranger, 'messages');
});
afterAll(async () => {
  await tdb.drop();
});

const headOf = async (u: User, container: string) => (await u.api.vault.changes({ cursor: 0 })).containers.find((c) => c.id === container);

describe(`shares.create and shares.get on ${databaseName}`, () => {
  it('creates a share: the creator accepted with grant, the others offered; every member’s directory shows it', async () => {
    const before = await Promise.all([owner, bob, carol].map((u) => watermark(tdb.database, u.userId)));
    const container = shareId();
    const keys = [key(owner, 'grant'), key(bob, 'write'), key(carol, 'read')];
    const rosterText = roster();
    expect(await owner.api.shares.create({ container, roster: rosterText, keys })).toEqual({ container, epoch: 1 });
    const after = await Promise.all([owner, bob, carol].map((u) => watermark(tdb.database, u.userId)));
    after.forEach((w, i) => expect(w).toBeGreaterThan(before[i]!));
    expect(await headOf(owner, container)).toEqual({ id: container, kind: 'share', head: 0, epoch: 1, role: 'grant', accepted: true, rotationDue: false });
    expect(await headOf(bob, container)).toEqual({ id: container, kind: 'share', head: 0, epoch: 1, role: 'write', accepted: false, rotationDue: false });
    expect((await headOf(owner, owner.userId))).toMatchObject({ kind: 'personal', role: 'owner', accepted: true, rotationDue: false });
    expect(await headOf(dave, container)).toBeUndefined();

    // shares.get, as an offered member: members with their public keys, every roster, my keys only.
    const view = await carol.api.shares.get({ container });
    expect(view).toMatchObject({ container, epoch: 1, rotationDue: false, ownerId: owner.userId, rosters: [{ epoch: 1, roster: rosterText }] });
    expect(view.myKeys).toEqual([{ epoch: 1, sealedKey: keys[2]!.sealedKey, grant: keys[2]!.grant }]);
    const byName = Object.fromEntries(view.members.map((m) => [m.username, [m.role, m.grantedBy, m.acceptedAt !== null]]));
    expect(byName).toEqual({ owner: ['grant', owner.userId, true], bob: ['write', owner.userId, false], carol: ['read', owner.userId, false] });
    expect(view.members.find((m) => m.userId === bob.userId)).toMatchObject({ boxPublicKey: bob.input.identity.boxPublicKey, signingPublicKey: bob.input.identity.signingPublicKey, expiresAt: null });
    expect(await refusal(dave.api.shares.get({ container }))).toMatchObject({ code: 'NOT_FOUND' });
    // A personal container is no share.
    expect(await refusal(owner.api.shares.get({ container: owner.userId }))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses, changing nothing: an id that exists, a member who is not a sharing connection, a creator without grant', async () => {
    const taken = await makeShare(owner, [[bob, 'read']]);
    const before = await snapshot(tdb.database);
    expect(await refusal(owner.api.shares.create({ container: taken, roster: roster(), keys: [key(owner, 'grant')] }))).toMatchObject({ code: 'CONFLICT', details: { reason: 'exists' } });
    // A personal container's id is taken too.
    expect(await refusal(owner.api.shares.create({ container: bob.userId, roster: roster(), keys: [key(owner, 'grant')] }))).toMatchObject({ code: 'CONFLICT', details: { reason: 'exists' } });
    const notSharing = await refusal(owner.api.shares.create({ container: shareId(), roster: roster(), keys: [key(owner, 'grant'), key(bob, 'read'), key(stranger, 'read')] }));
    expect(notSharing.code).toBe('NOT_FOUND');
    expect((await refusal(owner.api.shares.create({ container: shareId(), roster: roster(), keys: [key(owner, 'write'), key(bob, 'grant')] }))).code).toBe('BAD_INPUT');
    expect((await refusal(owner.api.shares.create({ container: shareId(), roster: roster(), keys: [key(bob, 'grant')] }))).code).toBe('BAD_INPUT');
    expect((await refusal(owner.api.shares.create({ container: shareId(), roster: roster(), keys: [key(owner, 'grant'), key(bob, 'read', clock.now() - 1)] }))).code).toBe('BAD_INPUT');
    expect(await snapshot(tdb.database)).toEqual(before);
  });
});

describe(`records of a share on ${databaseName}`, () => {
  it('opens records only after accepting; every member hears of a write; read-only cannot write', async () => {
    const container = await makeShare(owner, [[bob, 'write'], [carol, 'read']], { offered: true });
    expect(await refusal(bob.api.vault.containerChanges({ container, cursor: 0 }))).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'not-accepted' } });
    expect(await refusal(bob.api.vault.put({ container, id: recordId(), baseRevision: 0, keyEpoch: 1, data: b64(8) }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await bob.api.shares.accept({ container })).toEqual({});
    expect(await carol.api.shares.accept({ container })).toEqual({});
    expect(await headOf(bob, container)).toMatchObject({ accepted: true, role: 'write' });

    const marks = await Promise.all([owner, bob, carol].map((u) => watermark(tdb.database, u.userId)));
    const { id } = await putRecord(bob, container, 1);
    const after = await Promise.all([owner, bob, carol].map((u) => watermark(tdb.database, u.userId)));
    after.forEach((w, i) => expect(w).toBe(marks[i]! + 1));
    const page = await carol.api.vault.containerChanges({ container, cursor: 0 });
    expect(page.records.map((r) => [r.id, r.keyEpoch, r.revision])).toEqual([[id, 1, 1]]);
    const author = await tdb.database.db.selectFrom('vault_records').select('author_id').where('container_id', '=', container).where('id', '=', id).executeTakeFirstOrThrow();
    expect(author.author_id).toBe(bob.userId);
    // The share's storage counts against its creator, not the writer.
    expect((await tdb.database.db.selectFrom('users').select('storage_used').where('id', '=', bob.userId).executeTakeFirstOrThrow()).storage_used).toBe(0);

    const before = await snapshot(tdb.database);
    const readOnly = await refusal(carol.api.vault.put({ container, id, baseRevision: 1, keyEpoch: 1, data: b64(8) }));
    expect(readOnly).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'role', needed: 'write' } });
    expect((await refusal(carol.api.vault.putMany({ container, records: [{ id: recordId(), baseRevision: 0, keyEpoch: 1, data: b64(8) }] }))).code).toBe('FORBIDDEN');
    // Under the personal vault's epoch, or an old one: stale.
    expect(await refusal(bob.api.vault.put({ container, id, baseRevision: 1, keyEpoch: 0, data: b64(8) }))).toMatchObject({ code: 'CONFLICT', details: { reason: 'stale-epoch', epoch: 1 } });
    expect(await refusal(dave.api.vault.containerChanges({ container, cursor: 0 }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await snapshot(tdb.database)).toEqual(before);
    // Accepting twice is fine and changes nothing.
    expect(await carol.api.shares.accept({ container })).toEqual({});
    expect(await snapshot(tdb.database)).toEqual(before);
  });
});

describe(`live updates of a share on ${databaseName}`, () => {
  it('rings every member’s feed when another member writes', async () => {
    const container = await makeShare(owner, [[bob, 'read']]);
    const cursor = await watermark(tdb.database, bob.userId);
    const controller = new AbortController();
    const stream = await caller(deps, bob.token, '127.0.0.1', controller.signal).events.onChange({ cursor });
    const iterator = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    const next = iterator.next();
    await putRecord(owner, container, 1);
    expect(JSON.stringify((await next).value)).toContain(`"cursor":${cursor + 1}`);
    controller.abort();
    await iterator.return?.();
  });
});

describe(`shares.grant on ${databaseName}`, () => {
  it('adds members (offered) and changes roles and end dates, keeping acceptance', async () => {
    const container = await makeShare(owner, [[bob, 'grant'], [carol, 'read']]);
    const daveMark = await watermark(tdb.database, dave.userId);
    const until = clock.now() + 3600_000;
    expect(await bob.api.shares.grant({ container, epoch: 1, keys: [key(dave, 'read'), key(carol, 'write', until)] })).toEqual({});
    expect(await watermark(tdb.database, dave.userId)).toBeGreaterThan(daveMark);
    expect(await headOf(dave, container)).toMatchObject({ accepted: false, role: 'read', epoch: 1 });
    expect(await headOf(carol, container)).toMatchObject({ accepted: true, role: 'write' });
    const members = (await owner.api.shares.get({ container })).members;
    expect(members.find((m) => m.userId === carol.userId)).toMatchObject({ role: 'write', expiresAt: until, grantedBy: bob.userId });
    expect(members.find((m) => m.userId === dave.userId)).toMatchObject({ role: 'read', acceptedAt: null, grantedBy: bob.userId });
    expect((await dave.api.shares.get({ container })).myKeys).toHaveLength(1);
    // Carol can write now.
    await putRecord(carol, container, 1);
  });

  it('refuses without grant, under a stale epoch, to a non-connection, one’s own role, and the creator’s grant, changing nothing', async () => {
    const container = await makeShare(owner, [[bob, 'grant'], [carol, 'write']]);
    await connect(bob, stranger, 'sharing');
    const before = await snapshot(tdb.database);
    expect(await refusal(carol.api.shares.grant({ container, epoch: 1, keys: [key(dave, 'read')] }))).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'role', needed: 'grant' } });
    expect(await refusal(carol.api.shares.removeMember({ container, userId: bob.userId }))).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'role' } });
    expect(await refusal(carol.api.shares.rotate({ container, fromEpoch: 1, roster: roster(), keys: [key(carol, 'write')] }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal(bob.api.shares.grant({ container, epoch: 2, keys: [key(dave, 'read')] }))).toMatchObject({ code: 'CONFLICT', details: { reason: 'stale-epoch', epoch: 1 } });
    // The stranger is bob's sharing connection, not the owner's.
    expect((await refusal(owner.api.shares.grant({ container, epoch: 1, keys: [key(stranger, 'read')] }))).code).toBe('NOT_FOUND');
    expect(await refusal(bob.api.shares.grant({ container, epoch: 1, keys: [key(bob, 'read')] }))).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'own-role' } });
    expect(await refusal(bob.api.shares.grant({ container, epoch: 1, keys: [key(owner, 'write')] }))).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'creator' } });
    expect(await refusal(bob.api.shares.removeMember({ container, userId: owner.userId }))).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'creator' } });
    expect(await refusal(bob.api.shares.removeMember({ container, userId: dave.userId }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await snapshot(tdb.database)).toEqual(before);
    // Positive control: bob with grant may add the stranger, his own sharing connection.
    await bob.api.shares.grant({ container, epoch: 1, keys: [key(stranger, 'read')] });
    expect(await headOf(stranger, container)).toMatchObject({ accepted: false });
  });
});
