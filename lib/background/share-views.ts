// What the popup is shown of a share: its members with their permission and who granted it, the
// entries in it, and the offers waiting for me.
import type { ShareOffer, ShareView } from '../messages/share-protocol';
import { fingerprintOf } from '../sharing/pins';
import type { EntryRecord, ShareRow } from '../vault/db';

export function shareView(row: ShareRow, entries: EntryRecord[], me: string): ShareView {
  const names = new Map(row.members.map((m) => [m.userId, m.username]));
  return {
    container: row.container,
    folder: row.folder ?? null,
    entryIds: entries.filter((e) => e.container === row.container && e.deleted !== 1).map((e) => e.id),
    myRole: row.role,
    byMe: row.ownerId === me,
    rotationDue: row.rotationDue,
    members: row.members.map((m) => ({
      userId: m.userId,
      username: m.username,
      fingerprint: fingerprintOf(m),
      role: m.role,
      grantedBy: names.get(m.grantedBy) ?? m.grantedBy,
      expiresAt: m.expiresAt,
      accepted: m.acceptedAt !== null,
      me: m.userId === me,
    })),
  };
}

export function shareOffer(row: ShareRow): ShareOffer {
  const owner = row.members.find((m) => m.userId === row.ownerId);
  return {
    container: row.container,
    from: owner?.username ?? row.ownerId,
    fromFingerprint: owner ? fingerprintOf(owner) : '',
    role: row.role,
    folder: row.folder ?? null,
    entries: 0,
    offeredAt: row.offeredAt ?? 0,
  };
}

/** How many entries I share with each person, both ways (PersonView.sharedEntries). */
export function sharedEntryCounts(rows: ShareRow[], entries: EntryRecord[], me: string): Map<string, number> {
  const perShare = new Map<string, number>();
  for (const e of entries) if (e.deleted !== 1) perShare.set(e.container, (perShare.get(e.container) ?? 0) + 1);
  const counts = new Map<string, number>();
  for (const row of rows) {
    if (!row.accepted) continue;
    for (const m of row.members) if (m.userId !== me) counts.set(m.userId, (counts.get(m.userId) ?? 0) + (perShare.get(row.container) ?? 0));
  }
  return counts;
}
