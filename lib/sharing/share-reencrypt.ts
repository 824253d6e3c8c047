// After a rotation the rotating device rewrites every record of the old epoch (issue 14 "Revoke"):
// same id and content, revision + 1, a FRESH item key wrapped by the new share key. Re-wrapping
// the old item key would not do: a removed member may have kept it, and would read every later
// edit sealed with it.

import { generateKey } from '../crypto/keys';
import type { EntryRecord } from '../vault/db';
import { openDetails, openItemKey, openOverview, sealEntry, type EntryPlain } from '../vault/entry-crypto';

/**
 * The records of `oldShareKey` sealed anew under `newShareKey`, in the same container. Returns bare
 * records (no sync state): the caller keeps its own bookkeeping (dirty, base, serverRevision) and
 * pushes them with the new epoch. Throws the entry-crypto errors for a record that does not open.
 */
export function reencryptEntries(oldShareKey: Uint8Array, newShareKey: Uint8Array, records: readonly EntryRecord[]): EntryRecord[] {
  return records.map((record) => {
    const oldItemKey = openItemKey(oldShareKey, record);
    const newItemKey = generateKey();
    try {
      // The marks and dates are carried by name, never spread into the fields: the fields' overview
      // half is what lists open, and an earlier password must never land there.
      const { hasPassword: _derived, conflictOf, trashedAt, ...overview } = openOverview(oldItemKey, record);
      const { passwordChangedAt, passwordHistory, ...details } = openDetails(oldItemKey, record);
      const plain: EntryPlain = {
        id: record.id,
        revision: record.revision + 1,
        container: record.container,
        fields: { ...overview, ...details },
        createdAt: record.createdAt,
        updatedAt: record.updatedAt,
      };
      if (passwordChangedAt !== undefined) plain.passwordChangedAt = passwordChangedAt;
      if (conflictOf !== undefined) plain.conflictOf = conflictOf;
      if (trashedAt !== undefined) plain.trashedAt = trashedAt;
      if (passwordHistory !== undefined) plain.passwordHistory = passwordHistory;
      return sealEntry(newShareKey, plain, newItemKey);
    } finally {
      oldItemKey.fill(0);
      newItemKey.fill(0);
    }
  });
}
