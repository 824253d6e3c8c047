// Where shares meet the vault's list and writes: an entry of a share carries its mark in the list,
// keeps the key epoch it is sealed under, goes into a folder share when saved in its folder, and is
// changed only with write permission.
import type { EntryShareMark } from '../messages/share-protocol';
import type { EntrySummary } from '../model/entry';
import { PERSONAL, type OpenedEntry } from './entry-write';
import type { Loaded } from './vault-loader';

/** What the vault asks of shares (share-service.ts): marks, where a new entry goes, who may write. */
export interface VaultShares {
  mark(container: string, entryId: string): EntryShareMark | undefined;
  /** The share a new entry with these fields joins (a folder share), or undefined for my personal vault. */
  placeNew(folder: string): { container: string; epoch: number } | undefined;
  /** Throws FORBIDDEN when my permission in the entry's share is view only. */
  requireWrite(container: string, entryId: string): void;
}

/** A sealed write keeps the key epoch its item key is wrapped under. */
export function underEpoch(next: OpenedEntry, epoch: number): OpenedEntry {
  return epoch === 0 ? next : { ...next, record: { ...next.record, keyEpoch: epoch } };
}

/** The entries in the trash, or those out of it (the list, search, autofill, health), shared ones with their mark. */
export function listed(l: Loaded, inTrash: boolean, shares: VaultShares | undefined): EntrySummary[] {
  const out: EntrySummary[] = [];
  for (const c of l.entries.values()) {
    if ((c.summary.trashedAt !== undefined) !== inTrash) continue;
    const share = c.record && c.record.container !== PERSONAL ? shares?.mark(c.record.container, c.record.id) : undefined;
    out.push(share ? { ...c.summary, share } : c.summary);
  }
  return out;
}
