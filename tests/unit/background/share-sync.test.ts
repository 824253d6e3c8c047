// Shares end to end on the background side (SHARES-API.md "Client"): devices of different people
// share entries through the in-memory server of share-world.ts, with the real vault, sync engine,
// keyring and share service; nothing is mocked but the server.
import { describe, expect, it } from 'vitest';
import type { EntryRecord } from '../../../lib/vault/db';
import { decodeRecord } from '../../../lib/vault/record-codec';
import { openItemKey, openOverview } from '../../../lib/vault/entry-crypto';
import { shareWorld } from './share-world';
import { accepted, fields, people } from './share-device';

describe('shares: create, accept, read', () => {
  it('shares an entry; the other member accepts, pulls and reads it, with its mark', async () => {
    const world = shareWorld();
    const { alice, others: [bob], mail } = await people(world, 'bob');
    const view = await alice.must('shares.create', { entryIds: [mail.id], members: [{ userId: bob!.user.userId, role: 'write' }] });
    expect(view).toMatchObject({ entryIds: [mail.id], myRole: 'grant', byMe: true });
    // Before accepting, nothing of it is in Bob's vault.
    await bob!.sync();
    expect((await bob!.must('vault.list')).entries).toEqual([]);
    await accepted(bob!, view.container);
    const listed = (await bob!.must('vault.list')).entries;
    expect(listed.map((e) => e.title)).toEqual(['Mail']);
    expect(listed[0]!.share).toMatchObject({ container: view.container, byMe: false, sharedBy: 'alice', role: 'write', with: [alice.user.userId] });
    expect((await bob!.must('vault.get', { id: mail.id })).password).toBe('pw-1');
    // Alice's own list: the entry moved into the share, marked as shared by her.
    const mine = (await alice.must('vault.list')).entries;
    expect(mine.map((e) => [e.id, e.share?.byMe])).toEqual([[mail.id, true]]);
    // The personal container on the server holds only the tombstone.
    expect(world.container(alice.user.userId)!.records.get(mail.id)!.deleted).toBe(true);
  });
});

describe('shares: writes and permissions', () => {
  it('a write by a member with write permission reaches the owner', async () => {
    const world = shareWorld();
    const { alice, others: [bob], mail } = await people(world, 'bob');
    const { container } = await alice.must('shares.create', { entryIds: [mail.id], members: [{ userId: bob!.user.userId, role: 'write' }] });
    await accepted(bob!, container);
    const seen = await bob!.must('vault.get', { id: mail.id });
    await bob!.must('vault.save', { id: mail.id, baseRevision: seen.revision, fields: fields({ password: 'pw-bob' }) });
    await bob!.sync();
    await alice.sync();
    expect((await alice.must('vault.get', { id: mail.id })).password).toBe('pw-bob');
  });

  it('refuses an edit with view-only permission on the device, before anything reaches the server', async () => {
    const world = shareWorld();
    const { alice, others: [carol], mail } = await people(world, 'carol');
    const { container } = await alice.must('shares.create', { entryIds: [mail.id], members: [{ userId: carol!.user.userId, role: 'read' }] });
    await accepted(carol!, container);
    const seen = await carol!.must('vault.get', { id: mail.id });
    const edit = await carol!.ask('vault.save', { id: mail.id, baseRevision: seen.revision, fields: fields({ password: 'pw-carol' }) });
    expect(edit).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect((await carol!.ask('vault.delete', { id: mail.id })).ok).toBe(false);
    await carol!.sync();
    expect(world.calls.filter((c) => c.user === carol!.user.userId && c.name === 'putMany')).toEqual([]);
    expect((await carol!.must('vault.get', { id: mail.id })).password).toBe('pw-1');
    // Positive control: the same edit by the owner goes through.
    await alice.must('vault.save', { id: mail.id, baseRevision: (await alice.must('vault.get', { id: mail.id })).revision, fields: fields({ password: 'pw-alice' }) });
    await alice.sync();
    await carol!.sync();
    expect((await carol!.must('vault.get', { id: mail.id })).password).toBe('pw-alice');
  });

  it('an upgrade from view only to view & modify reaches the member’s device, whose edit then goes through', async () => {
    const world = shareWorld();
    const { alice, others: [carol], mail } = await people(world, 'carol');
    const { container } = await alice.must('shares.create', { entryIds: [mail.id], members: [{ userId: carol!.user.userId, role: 'read' }] });
    await accepted(carol!, container);
    const seen = await carol!.must('vault.get', { id: mail.id });
    expect(await carol!.ask('vault.save', { id: mail.id, baseRevision: seen.revision, fields: fields({ password: 'pw-carol' }) })).toMatchObject({ ok: false, code: 'FORBIDDEN' });

    await alice.must('shares.setMembers', { container, members: [{ userId: carol!.user.userId, role: 'write' }] });
    await carol!.sync();
    expect(await carol!.must('shares.forEntry', { entryId: mail.id })).toMatchObject({ myRole: 'write' });
    expect((await carol!.must('shares.forEntry', { entryId: mail.id }))!.members.find((m) => m.me)).toMatchObject({ role: 'write' });
    await carol!.must('vault.save', { id: mail.id, baseRevision: seen.revision, fields: fields({ password: 'pw-carol' }) });
    await carol!.sync();
    await alice.sync();
    expect((await alice.must('vault.get', { id: mail.id })).password).toBe('pw-carol');
  });
});

describe('shares: removal rotates the key', () => {
  it('a removed member’s old key opens nothing written afterwards; the one who stays reads on', async () => {
    const world = shareWorld();
    const { alice, others: [bob, carol], mail } = await people(world, 'bob', 'carol');
    const { container } = await alice.must('shares.create', {
      entryIds: [mail.id],
      members: [{ userId: bob!.user.userId, role: 'write' }, { userId: carol!.user.userId, role: 'read' }],
    });
    await accepted(bob!, container);
    await accepted(carol!, container);
    const bobsOldKey = new Uint8Array(bob!.keyring.keyFor(container, 1));

    const after = await alice.must('shares.setMembers', { container, members: [{ userId: carol!.user.userId, role: 'read' }] });
    expect(after.members.map((m) => m.userId).sort()).toEqual([alice.user.userId, carol!.user.userId].sort());
    await alice.sync();
    expect(world.container(container)!.epoch).toBe(2);
    await alice.must('vault.save', { id: mail.id, baseRevision: (await alice.must('vault.get', { id: mail.id })).revision, fields: fields({ password: 'pw-after' }) });
    await alice.sync();

    const onServer = [...world.container(container)!.records.values()].filter((r) => !r.deleted);
    expect(onServer.length).toBe(1);
    for (const r of onServer) {
      expect(r.keyEpoch).toBe(2);
      const record: EntryRecord = decodeRecord(r.data, r.id);
      expect(() => openItemKey(bobsOldKey, record)).toThrow();
    }
    // Positive control: the key of the new epoch opens it.
    const fresh = decodeRecord(onServer[0]!.data, onServer[0]!.id);
    expect(openOverview(openItemKey(alice.keyring.keyFor(container, 2), fresh), fresh).title).toBe('Mail');

    await carol!.sync();
    expect((await carol!.must('vault.get', { id: mail.id })).password).toBe('pw-after');
    await bob!.sync();
    expect((await bob!.must('vault.list')).entries).toEqual([]);
    expect(await bob!.repo.shares.get(container)).toBeUndefined();
    // Members with grant are asked to change the password the removed member could read.
    expect((await alice.must('vault.list')).entries[0]!.share?.considerChanging).toBe(true);
  });
});
