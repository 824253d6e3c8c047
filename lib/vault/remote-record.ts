// What a device accepts from the server for one entry (SECURITY.md item 26): the record must be the
// entry's own, its ciphertexts must be bound to the revision it claims, and that revision must not
// be older than one this device has already seen for the entry. A server that swaps or replays
// ciphertexts gets an error naming the entry, never an old password shown as the current one.
import { AppError } from '../errors';
import { t } from '../i18n';
import type { EntryMark, EntryRecord } from './db';
import { openDetails, openItemKey, openOverview } from './entry-crypto';
import { decodeRecord } from './record-codec';

export interface RevisionFloor {
  /** The highest content revision accepted from the server or acknowledged by it. */
  seen: number;
  /** The entry was deleted after it: only a newer revision may bring it back. */
  deleted: boolean;
}

/** What this device has seen of an entry, deleted ones included, from its mark and its record. */
export function revisionFloor(mark: EntryMark | undefined, local: EntryRecord | undefined): RevisionFloor {
  let seen = mark?.revision ?? 0;
  if (local) {
    // A clean record is what the server last had; a dirty one remembers it as its base.
    if (local.dirty !== 1) seen = Math.max(seen, local.revision);
    else if (local.base) seen = Math.max(seen, baseRevision(local));
  }
  return { seen, deleted: !local && mark?.deleted === true };
}

function baseRevision(local: EntryRecord): number {
  try {
    return decodeRecord(local.base!, local.id).revision;
  } catch {
    return 0;
  }
}

/** An older version of an entry than this device has seen; its message names the entry. */
export class ReplayedRecordError extends AppError {
  constructor(id: string, name: string, revision: number, floor: RevisionFloor) {
    const message = floor.deleted ? t('syncReplayedDeleted', name, revision) : t('syncReplayedRecord', name, revision, floor.seen);
    super('CORRUPT_RECORD', message, { subject: id });
  }
}

/**
 * Decodes a record from the server and checks it before anything is stored: both halves open with
 * the revision the record claims (so that revision is the one bound into the ciphertext), and it is
 * not older than one seen (nor as old as one deleted since), and it belongs to `container` when given. Returns the record and its title; throws an AppError naming the entry.
 */
export function acceptRemoteRecord(containerKey: Uint8Array, data: string, id: string, floor: RevisionFloor, container?: string): { record: EntryRecord; title: string } {
  const record = decodeRecord(data, id);
  // A record the server moved in from another container: its item key would not open here anyway
  // (the container is bound into it), but say so plainly rather than as damage.
  if (container !== undefined && record.container !== container) throw new AppError('CORRUPT_RECORD', t('errorEntryArrivedDamaged', id), { subject: id });
  const itemKey = openItemKey(containerKey, record);
  const { title } = openOverview(itemKey, record);
  openDetails(itemKey, record);
  if (record.revision < floor.seen || (floor.deleted && record.revision === floor.seen)) {
    throw new ReplayedRecordError(id, title || id, record.revision, floor);
  }
  return { record, title };
}

/** The message shown for a record refused by sync: the error's own, saying which entry it is. */
export function refusedProblem(e: unknown, id: string, name: string | undefined): NonNullable<EntryMark['problem']> {
  if (e instanceof ReplayedRecordError) return { code: e.code, message: e.message };
  const code = e instanceof AppError ? e.code : 'CORRUPT_RECORD';
  return { code, message: t('syncRefusedRecord', name ?? id) };
}
