// Shares end to end on the background side (SHARES-API.md "Client"): devices of different people
// share entries through the in-memory server of share-world.ts, with the real vault, sync engine,
// keyring and share service; nothing is mocked but the server.
import { describe, expect, it } from 'vitest';
import { emptyEntryFields, type EntryFields } from '../../../lib/model/entry';
import type { EntryRecord } from '../../../lib/vault/db';
import { decodeRecord } from '../../../lib/vault/record-codec';
import { openItemKey, openOverview } from '../../../lib/vault/entry-crypto';
import { shareWorld, type ShareWorld } from './share-world';
import { shareDevice } from './share-device';

const fields = (over: Partial<EntryFields> = {}): EntryFields => ({ ...emptyEntryFields(), title: 'Mail', username: 'ann', password: 'pw-1', urls: ['https://mail.example'], ...over });

/** Alice with an entry on the server, and the people she is connected with. */
async function people(world: ShareWorld, ...names: string[]) {
  const alice = await shareDevice(world, 'alice');
  const others = [];
  for (const name of names) {
    const d = await shareDevice(world, name);
    alice.connect(d);
    others.push(d);
  }
  const mail = await alice.must('vault.save', { fields: fields() });
  await alice.sync();
  return { alice, others, mail };
}

async function accepted(d: Awaited<ReturnType<typeof shareDevice>>, container: string) {
  await d.sync();
  const offers = await d.must('shares.offers');
  expect(offers.map((o) => o.container)).toEqual([container]);
  await d.must('shares.accept', { container });
  await d.sync();
}

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
