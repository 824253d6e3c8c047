// Sealing and opening one entry record. The overview (what lists and search need) and the details
// (password, notes) are sealed separately with the entry's own item key, so listing never opens a
// password. Every ciphertext is bound to its entry id, container, half and revision.
import { associatedData } from '../crypto/ad';
import { open, seal } from '../crypto/aead';
import { fromUtf8, utf8 } from '../crypto/encoding';
import { generateKey, unwrapKey, wrapKey } from '../crypto/keys';
import { AppError } from '../errors';
import type { EntryDetails, EntryFields, EntryOverview, PasswordHistoryItem } from '../model/entry';
import { splitFields } from '../model/entry';
import type { EntryRecord } from './db';
import { t } from '../i18n';
import { passwordHistoryOf } from './password-history';
import { trashedAtOf } from './trash';

export interface EntryPlain {
  id: string;
  revision: number;
  container: string;
  fields: EntryFields;
  createdAt: number;
  updatedAt: number;
  /** When the password last changed (lib/vault/password-date.ts); sealed with the password. */
  passwordChangedAt?: number;
  /** A conflict copy's mark (EntrySummary.conflictOf); sealed with the overview. */
  conflictOf?: string;
  /** When it was moved to the trash (lib/vault/trash.ts); sealed with the overview. */
  trashedAt?: number;
  /** Its earlier passwords (lib/vault/password-history.ts); sealed with the password. */
  passwordHistory?: PasswordHistoryItem[];
}

/** The details half as sealed: what the person typed, when the password last changed, and the ones before it. */
export type SealedDetails = EntryDetails & { passwordChangedAt?: number; passwordHistory?: PasswordHistoryItem[] };

export function sealEntry(containerKey: Uint8Array, plain: EntryPlain, itemKey: Uint8Array = generateKey()): EntryRecord {
  const { id, revision, container } = plain;
  const { overview: typedOverview, details: typed } = splitFields(plain.fields);
  const overview = {
    ...typedOverview,
    ...(plain.conflictOf === undefined ? {} : { conflictOf: plain.conflictOf }),
    ...(plain.trashedAt === undefined ? {} : { trashedAt: plain.trashedAt }),
  };
  const details: SealedDetails = {
    ...typed,
    ...(plain.passwordChangedAt === undefined ? {} : { passwordChangedAt: plain.passwordChangedAt }),
    ...(plain.passwordHistory?.length ? { passwordHistory: plain.passwordHistory } : {}),
  };
  return {
    id,
    revision,
    container,
    itemKey: wrapKey(containerKey, itemKey, associatedData({ kind: 'item-key', id, container })),
    overview: seal(itemKey, utf8(JSON.stringify({ ...overview, hasPassword: details.password.length > 0 })), associatedData({ kind: 'entry-overview', id, container, revision })),
    details: seal(itemKey, utf8(JSON.stringify(details)), associatedData({ kind: 'entry-details', id, container, revision })),
    createdAt: plain.createdAt,
    updatedAt: plain.updatedAt,
  };
}

/** Checks a stored record has the shape of an EntryRecord before any crypto touches it. */
export function assertRecordShape(r: unknown): asserts r is EntryRecord {
  const x = r as Partial<EntryRecord> | null;
  const ok =
    !!x &&
    typeof x.id === 'string' &&
    Number.isSafeInteger(x.revision) &&
    typeof x.container === 'string' &&
    x.itemKey instanceof Uint8Array &&
    x.overview instanceof Uint8Array &&
    x.details instanceof Uint8Array &&
    typeof x.updatedAt === 'number';
  if (!ok) {
    const id = x && typeof x.id === 'string' ? x.id : 'unknown';
    throw new AppError('CORRUPT_RECORD', t('errorEntryDamaged', id), { subject: id });
  }
}

function parseJson<T>(bytes: Uint8Array, id: string): T {
  try {
    return JSON.parse(fromUtf8(bytes)) as T;
  } catch (cause) {
    throw new AppError('CORRUPT_RECORD', t('errorEntryUnreadableData', id), { subject: id, cause });
  }
}

function tampered(id: string, cause: unknown): AppError {
  return new AppError('DECRYPT_FAILED', t('errorEntryIntegrity', id), { subject: id, cause });
}

export function openItemKey(containerKey: Uint8Array, record: EntryRecord): Uint8Array {
  assertRecordShape(record);
  try {
    return unwrapKey(containerKey, record.itemKey, associatedData({ kind: 'item-key', id: record.id, container: record.container }));
  } catch (e) {
    throw tampered(record.id, e);
  }
}

export type SealedOverview = EntryOverview & { hasPassword: boolean; conflictOf?: string; trashedAt?: number };

function openHalf<T>(itemKey: Uint8Array, record: EntryRecord, half: 'overview' | 'details'): T {
  const ad = associatedData({ kind: `entry-${half}`, id: record.id, container: record.container, revision: record.revision });
  let bytes: Uint8Array;
  try {
    bytes = open(itemKey, record[half], ad);
  } catch (e) {
    throw tampered(record.id, e);
  }
  return parseJson<T>(bytes, record.id);
}

export function openOverview(itemKey: Uint8Array, record: EntryRecord): SealedOverview {
  return openHalf<SealedOverview>(itemKey, record, 'overview');
}

export function openDetails(itemKey: Uint8Array, record: EntryRecord): SealedDetails {
  return openHalf<SealedDetails>(itemKey, record, 'details');
}

/** What a merge of two versions needs besides the fields themselves. */
export interface OpenedFields {
  fields: EntryFields;
  passwordChangedAt?: number;
  trashedAt?: number;
  passwordHistory: PasswordHistoryItem[];
}

/** Every field of a record, its dates (as stored) and password history, for merging two versions. */
export function openFieldsDated(containerKey: Uint8Array, record: EntryRecord): OpenedFields {
  const itemKey = openItemKey(containerKey, record);
  const { hasPassword: _omit, conflictOf: _mark, trashedAt, ...overview } = openOverview(itemKey, record);
  const { passwordChangedAt, passwordHistory, ...details } = openDetails(itemKey, record);
  return { fields: { ...overview, ...details }, passwordChangedAt, trashedAt: trashedAtOf(trashedAt), passwordHistory: passwordHistoryOf(passwordHistory) };
}

/** Every field of a record, for merging two versions of an entry. */
export function openFields(containerKey: Uint8Array, record: EntryRecord): EntryFields {
  return openFieldsDated(containerKey, record).fields;
}
