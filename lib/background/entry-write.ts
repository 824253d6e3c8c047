// Sealing one new version of an entry, as save and writeBatch (import) both write it: the next
// revision under the entry's own item key, its dates, and when its password last changed.
import { generateKey } from '../crypto/keys';
import type { EntryFields, EntrySummary } from '../model/entry';
import type { EntryRecord } from '../vault/db';
import { openDetails, sealEntry } from '../vault/entry-crypto';
import { nextPasswordChangedAt, passwordChangedAtOf } from '../vault/password-date';
import { newEntryId, summaryOf } from './entry-fields';

export interface OpenedEntry {
  summary: EntrySummary;
  record: EntryRecord;
  itemKey: Uint8Array;
}

export const PERSONAL = 'personal';

/**
 * The sealed next version of `existing` (or a new entry, in `container`) with these validated
 * fields.
 */
export function sealWrite(
  containerKey: Uint8Array,
  fields: EntryFields,
  existing: Pick<OpenedEntry, 'record' | 'itemKey'> | undefined,
  at: number,
  container = PERSONAL,
): OpenedEntry {
  const itemKey = existing?.itemKey ?? generateKey();
  let previous: { password: string; changedAt: number } | undefined;
  if (existing) {
    const details = openDetails(existing.itemKey, existing.record);
    previous = { password: details.password, changedAt: passwordChangedAtOf(details, existing.record) };
  }
  const record = sealEntry(
    containerKey,
    {
      id: existing?.record.id ?? newEntryId(),
      revision: (existing?.record.revision ?? 0) + 1,
      container: existing?.record.container ?? container,
      fields,
      createdAt: existing?.record.createdAt ?? at,
      updatedAt: at,
      passwordChangedAt: nextPasswordChangedAt(previous, fields.password, at),
    },
    itemKey,
  );
  return { record, itemKey, summary: summaryOf(record, fields) };
}
