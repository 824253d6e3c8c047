// Three-way merge of an entry edited on two devices: a field changed on one side only takes that
// side's value; a field changed differently on both is a conflict, and both versions are kept.
import type { EntryFields } from '../model/entry';

export type FieldName = keyof EntryFields;
const FIELDS: FieldName[] = ['title', 'username', 'password', 'urls', 'notes', 'tags', 'folder', 'autologin', 'totp'];

/** Ends the title a conflict copy is stored under (in the entry: not translated when shown). */
export const CONFLICT_COPY_SUFFIX = ' (conflicting copy)';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export interface MergeResult {
  /** Remote values where both sides changed a field; every one-sided change applied. */
  merged: EntryFields;
  conflicts: FieldName[];
}

export function mergeEntry(base: EntryFields | undefined, local: EntryFields, remote: EntryFields): MergeResult {
  const merged = { ...remote };
  const conflicts: FieldName[] = [];
  for (const f of FIELDS) {
    if (same(local[f], remote[f])) continue;
    if (base && same(remote[f], base[f])) {
      (merged as Record<FieldName, unknown>)[f] = local[f];
    } else if (base && same(local[f], base[f])) {
      continue; // only the remote side changed it
    } else {
      conflicts.push(f);
    }
  }
  return { merged, conflicts };
}

/**
 * A save over a version that changed after the form opened (`base`): the form's edits merge into the
 * current version (`theirs`) as sync merges two devices' edits. Where both changed a field the
 * current value stays in the entry, and the form's whole version is kept as a conflict copy.
 */
export function mergeEdit(base: EntryFields, mine: EntryFields, theirs: EntryFields): { fields: EntryFields; copy?: EntryFields } {
  const { merged, conflicts } = mergeEntry(base, mine, theirs);
  if (conflicts.length === 0) return { fields: merged };
  return { fields: merged, copy: { ...mine, title: `${mine.title}${CONFLICT_COPY_SUFFIX}` } };
}

/**
 * The trash mark merges as a field: changed on one side only, that side's value. Changed on both
 * (trashed on both at different times, or restored on one and trashed again on the other), it is
 * never a conflict copy: the merge keeps the entry out of the trash if either side restored it, and
 * otherwise keeps the earlier time. A merge never brings an entry nearer to being deleted for good
 * than one of the two devices alone did.
 */
export function mergeTrashedAt(base: { trashedAt?: number } | undefined, local: number | undefined, remote: number | undefined): number | undefined {
  if (local === remote) return local;
  if (base && base.trashedAt === remote) return local;
  if (base && base.trashedAt === local) return remote;
  if (local === undefined || remote === undefined) return undefined;
  return Math.min(local, remote);
}
