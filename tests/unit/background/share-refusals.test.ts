// What a share member's device refuses from a server gone bad (a forged or swapped roster: nothing
// of the share is stored, none of its records read), and how a write made under an epoch that
// ended meanwhile gets there: refused as stale, the new key fetched, written again under it.
import { describe, expect, it } from 'vitest';
import { fromBase64Url, fromUtf8, toBase64Url, utf8 } from '../../../lib/crypto/encoding';
import { t } from '../../../lib/i18n';
import type { ShareDetails } from '../../../lib/background/share-api';
import { shareWorld } from './share-world';
import { fields, people } from './share-device';

const editWire = (wire: string, edit: (o: Record<string, unknown>) => void): string => {
  const o = JSON.parse(fromUtf8(fromBase64Url(wire))) as Record<string, unknown>;
  edit(o);
  return toBase64Url(utf8(JSON.stringify(o)));
};

describe('shares: a roster from the server that does not verify', () => {
  const forged = (d: ShareDetails): ShareDetails => ({ ...d, rosters: d.rosters.map((r) => ({ ...r, roster: editWire(r.roster, (o) => void (o.signedAt = Number(o.signedAt) + 1)) })) });

  it.each([
    ['forged (changed after it was signed)', () => forged, 'shareErrorForged'],
    ['swapped (another share’s roster)', (other: ShareDetails) => (d: ShareDetails) => ({ ...d, rosters: other.rosters }), 'shareErrorBrokenChain'],
  ] as const)('refuses a %s roster and stores nothing of the share', async (_name, rewrite, message) => {
    const world = shareWorld();
    const { alice, others: [bob], mail } = await people(world, 'bob');
    const other = await alice.must('vault.save', { fields: fields({ title: 'Bank' }) });
    await alice.sync();
    const member = [{ userId: bob!.user.userId, role: 'read' as const }];
    const { container } = await alice.must('shares.create', { entryIds: [mail.id], members: member });
    const second = await alice.must('shares.create', { entryIds: [other.id], members: member });
    const secondDetails = await (world.clientFor(bob!.user.userId) as unknown as { shares: { get: { query(i: { container: string }): Promise<ShareDetails> } } }).shares.get.query({ container: second.container });
    const tamper = rewrite(secondDetails);
    world.setRewriteGet((d, user) => (user === bob!.user.userId && d.container === container ? tamper(d) : d));

    await bob!.sync();
    await bob!.must('shares.accept', { container });
    await bob!.sync();
    const row = await bob!.repo.shares.get(container);
    expect(row?.keys ?? []).toEqual([]);
    expect(row?.roster).toBeUndefined();
    expect((await bob!.must('vault.list')).entries).toEqual([]);
    expect((await bob!.repo.sync())!.cursors[container]).toBeUndefined();
    expect(world.calls.some((c) => c.user === bob!.user.userId && c.name === 'containerChanges' && (c.input as { container: string }).container === container)).toBe(false);
    expect((await bob!.repo.refusedRecords()).find((r) => r.id === container)?.problem.message).toBe(t(message));

    // Positive control: the same share, answered truthfully, is verified and read.
    world.setRewriteGet(undefined);
    await bob!.sync();
    expect((await bob!.must('vault.list')).entries.map((e) => e.title)).toEqual(['Mail']);
  });
});

describe('shares: a write under an epoch that ended', () => {
  it('is refused as stale, then written again under the new key after a key refresh', async () => {
    const world = shareWorld();
    const { alice, others: [bob, carol], mail } = await people(world, 'bob', 'carol');
    const { container } = await alice.must('shares.create', {
      entryIds: [mail.id],
      members: [{ userId: bob!.user.userId, role: 'write' }, { userId: carol!.user.userId, role: 'read' }],
    });
    for (const d of [bob!, carol!]) {
      await d.sync();
      await d.must('shares.accept', { container });
      await d.sync();
    }
    const seen = await bob!.must('vault.get', { id: mail.id });
    await bob!.must('vault.save', { id: mail.id, baseRevision: seen.revision, fields: fields({ password: 'pw-bob' }) });
    // Meanwhile Alice removes Carol: a new epoch.
    await alice.must('shares.setMembers', { container, members: [{ userId: bob!.user.userId, role: 'write' }] });
    await alice.sync();
    // Bob's push races the rotation: refused as written under epoch 1, and one more round asked for.
    expect(await bob!.engine.push()).toEqual({ pushed: 0, again: true });
    expect((await bob!.repo.dirtyEntries()).map((e) => [e.id, e.keyEpoch])).toEqual([[mail.id, 1]]);
    await bob!.sync();
    expect(await bob!.repo.dirtyCount()).toBe(0);
    const onServer = world.container(container)!.records.get(mail.id)!;
    expect(onServer.keyEpoch).toBe(2);
    await alice.sync();
    expect((await alice.must('vault.get', { id: mail.id })).password).toBe('pw-bob');
  });
});
