// A local edit meets a different version on the server: decide what this device stores and pushes.
// Field by field merge where both sides edited; both versions kept on a real conflict. The server's
// version is accepted only through `accept`, which checks it is the entry's own and not older than
// one already seen; a version refused there leaves ours to overwrite it on the next push.
import { toBase64Url } from '../crypto/encoding';
import { randomBytes } from '../crypto/random';
import type { EntryRecord } from './db';
import { openFieldsDated, openItemKey, sealEntry } from './entry-crypto';
import { mergedPasswordChangedAt, passwordChangedAtOf } from './password-date';
import { mergePasswordHistory } from './password-history';
import { CONFLICT_COPY_SUFFIX, mergeEntry, mergeTrashedAt } from './merge';
import { decodeRecord } from './record-codec';
import type { RefusedRecord, RemoteWrite } from './repository';

/** The personal vault's container on this device (lib/background/sync-directory.ts). */
const PERSONAL = 'personal';

/**
 * Before conflict copies carried a mark of their own (EntrySummary.conflictOf), the copy was tagged
 * "conflict" and titled "… (conflicting copy)". Such an entry still reads as a conflict, but only
 * while it is exactly what that code made: both the tag and the title, and never edited since
 * (revision 1, as the copy was written). A person's own "conflict" tag does not make a conflict;
 * only an entry saved with that tag and a title ending in " (conflicting copy)" would read as one,
 * which costs no more than a mark in the list, while dropping the rule would hide real old copies.
 */
export const LEGACY_CONFLICT_TAG = 'conflict';

export function isLegacyConflictCopy(overview: { title: string; tags: string[] }, revision: number): boolean {
  return revision === 1 && overview.tags.includes(LEGACY_CONFLICT_TAG) && overview.title.endsWith(CONFLICT_COPY_SUFFIX);
}

/** A record as the server holds it (its own revision counter, and the opaque record). */
export interface ServerRecord {
  id: string;
  revision: number;
  data: string;
  deleted: boolean;
  /** The share key epoch it was written under (0 in the personal vault). */
  keyEpoch?: number;
}

export interface Resolution {
  write: RemoteWrite;
  /** A copy of the local version, added when the same field was changed differently on both sides. */
  copy?: EntryRecord;
  /** The server's version, when it was refused: ours is pushed over it. */
  refused?: RefusedRecord;
}

export interface ResolveDeps {
  /** The key the local record's item key is wrapped with. */
  containerKey: Uint8Array;
  /** The key of any record of the container by its epoch (a share's records may be of two epochs); default: containerKey. */
  keyOf?: (record: EntryRecord) => Uint8Array;
  /** The user key: a conflict copy of a shared entry goes into my personal vault, never into the share. */
  personal?: () => Uint8Array;
  now: number;
  /** Checks and decodes the server's version, or throws an AppError naming the entry. */
  accept(data: string, local: EntryRecord): EntryRecord;
  refuse(e: unknown, local: EntryRecord): RefusedRecord;
}

/** The server has no such record any more: send ours again as new. */
export function resendAsNew(local: EntryRecord): RemoteWrite {
  return { id: local.id, record: local, serverRevision: 0, base: undefined, dirty: true, deleted: local.deleted === 1 };
}

export function resolveConflict(local: EntryRecord, current: ServerRecord, deps: ResolveDeps): Resolution {
  const { containerKey: key, now } = deps;
  if (current.deleted) {
    // Both deleted: done. Edited here, deleted there: keep the edit; the next push brings the entry back.
    if (local.deleted === 1) return { write: { id: local.id, record: null, serverRevision: current.revision, base: undefined, dirty: false } };
    return { write: { id: local.id, record: local, serverRevision: current.revision, base: undefined, dirty: true } };
  }
  let remote: EntryRecord;
  try {
    remote = deps.accept(current.data, local);
  } catch (e) {
    // Ours stays, on the server's revision, so that the next push replaces the refused version.
    return {
      write: { id: local.id, record: local, serverRevision: current.revision, base: local.base, dirty: true, deleted: local.deleted === 1 },
      refused: deps.refuse(e, local),
    };
  }
  if (local.deleted === 1) {
    // Deleted here, edited there: the edit wins, nothing is lost.
    return { write: { id: local.id, record: remote, serverRevision: current.revision, base: undefined, dirty: false, seen: remote.revision } };
  }
  const keyOf = deps.keyOf ?? (() => key);
  const base = local.base ? openFieldsDated(key, decodeRecord(local.base, local.id)) : undefined;
  const { fields: mine, passwordChangedAt: mineAt, ...mineRest } = openFieldsDated(key, local);
  const { fields: theirs, passwordChangedAt: theirsAt, ...theirsRest } = openFieldsDated(keyOf(remote), remote);
  // The merge is written under the server's epoch; after a rotation, with a fresh item key.
  const sameEpoch = (remote.keyEpoch ?? 0) === (local.keyEpoch ?? 0);
  const { merged, conflicts } = mergeEntry(base?.fields, mine, theirs);
  const trashedAt = mergeTrashedAt(base, mineRest.trashedAt, theirsRest.trashedAt);
  const passwordHistory = mergePasswordHistory(mineRest.passwordHistory, theirsRest.passwordHistory);
  const sides = [
    { password: mine.password, changedAt: passwordChangedAtOf({ ...mine, passwordChangedAt: mineAt }, local) },
    { password: theirs.password, changedAt: passwordChangedAtOf({ ...theirs, passwordChangedAt: theirsAt }, remote) },
  ];
  const passwordChangedAt = mergedPasswordChangedAt(merged.password, sides, now);
  const sealed = sealEntry(
    keyOf(remote),
    {
      id: local.id,
      revision: Math.max(local.revision, remote.revision) + 1,
      container: local.container,
      fields: merged,
      createdAt: local.createdAt,
      updatedAt: now,
      passwordChangedAt,
      trashedAt,
      passwordHistory,
    },
    sameEpoch ? openItemKey(key, local) : undefined,
  );
  const record = remote.keyEpoch ? { ...sealed, keyEpoch: remote.keyEpoch } : sealed;
  const write: RemoteWrite = { id: local.id, record, serverRevision: current.revision, base: current.data, dirty: true, seen: remote.revision };
  if (conflicts.length === 0) return { write };
  // The title is stored in the entry (not translated when shown); isLegacyConflictCopy reads old copies by it.
  const mineCopy = { ...mine, title: `${mine.title}${CONFLICT_COPY_SUFFIX}` };
  const toPersonal = local.container !== PERSONAL && deps.personal !== undefined;
  const copy = sealEntry(toPersonal ? deps.personal!() : key, {
    id: toBase64Url(randomBytes(16)),
    revision: 1,
    container: toPersonal ? PERSONAL : local.container,
    fields: mineCopy,
    createdAt: now,
    updatedAt: now,
    passwordChangedAt: sides[0]!.changedAt,
    conflictOf: local.id,
    trashedAt: mineRest.trashedAt,
    passwordHistory: mineRest.passwordHistory,
  });
  return { write, copy: toPersonal || !local.keyEpoch ? copy : { ...copy, keyEpoch: local.keyEpoch } };
}
