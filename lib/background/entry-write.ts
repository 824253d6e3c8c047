// Sealing one new version of an entry, as save, writeBatch (import) and the trash all write it: the
// next revision under the entry's own item key, its dates, when its password last changed and the
// passwords it had before.
import { generateKey } from '../crypto/keys';
import type { EntryFields, EntrySummary, PasswordHistoryItem } from '../model/entry';
import type { EntryRecord } from '../vault/db';
import { openDetails, openOverview, sealEntry } from '../vault/entry-crypto';
import { nextPasswordChangedAt, passwordChangedAtOf } from '../vault/password-date';
import { nextPasswordHistory, passwordHistoryOf } from '../vault/password-history';
import { trashedAtOf } from '../vault/trash';
import { newEntryId, summaryOf } from './entry-fields';

export interface OpenedEntry {
  summary: EntrySummary;
  record: EntryRecord;
  itemKey: Uint8Array;
}

export const PERSONAL = 'personal';

/**
 * The sealed next version of `existing` (or a new entry, in `container`) with these validated
 * fields. An existing entry stays in or out of the trash as it was, unless `trashedAt` says
 * otherwise (null: out of it).
 */
export function sealWrite(
  containerKey: Uint8Array,
  fields: EntryFields,
  existing: Pick<OpenedEntry, 'record' | 'itemKey'> | undefined,
  at: number,
  container = PERSONAL,
  trash?: { trashedAt: number | null },
): OpenedEntry {
  const itemKey = existing?.itemKey ?? generateKey();
  let previous: { password: string; changedAt: number; history: PasswordHistoryItem[] } | undefined;
  let trashedAt: number | undefined;
  if (existing) {
    const details = openDetails(existing.itemKey, existing.record);
    previous = { password: details.password, changedAt: passwordChangedAtOf(details, existing.record), history: passwordHistoryOf(details.passwordHistory) };
    trashedAt = trash ? undefined : trashedAtOf(openOverview(existing.itemKey, existing.record).trashedAt);
  }
  if (trash && trash.trashedAt !== null) trashedAt = trash.trashedAt;
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
      passwordHistory: nextPasswordHistory(previous, fields.password, at),
      trashedAt,
    },
    itemKey,
  );
  return { record, itemKey, summary: summaryOf(record, fields, trashedAt) };
}

/** What a person typed, as the entry holds it now (its marks and dates left out). */
export function fieldsOf(entry: Pick<OpenedEntry, 'record' | 'itemKey'>): EntryFields {
  const { hasPassword: _has, conflictOf: _mark, trashedAt: _trashed, ...overview } = openOverview(entry.itemKey, entry.record);
  const { passwordChangedAt: _at, passwordHistory: _history, ...details } = openDetails(entry.itemKey, entry.record);
  return { ...overview, ...details };
}

/** A version kept beside the entry it conflicts with (EntrySummary.conflictOf), as sync keeps one. */
export function sealConflictCopy(containerKey: Uint8Array, fields: EntryFields, of: OpenedEntry, at: number, container = of.record.container): OpenedEntry {
  const itemKey = generateKey();
  const conflictOf = of.record.id;
  const record = sealEntry(
    containerKey,
    { id: newEntryId(), revision: 1, container, fields, createdAt: at, updatedAt: at, passwordChangedAt: at, conflictOf },
    itemKey,
  );
  return { record, itemKey, summary: { ...summaryOf(record, fields), conflictOf } };
}
