// When an entry's password last changed, for the health view's "old passwords". It is kept inside
// the details ciphertext (sealed with the password itself), set when the password changes and kept
// on every other edit.
import type { EntryRecord } from './db';
import type { SealedDetails } from './entry-crypto';

/**
 * An entry saved before this field existed has none. Its password changed at some time between
 * the entry's creation and its last change, so the last change (updatedAt) is the one date that
 * never calls a password older than it is: the view may miss an old password, never blame a new one.
 */
export function passwordChangedAtOf(details: SealedDetails, record: Pick<EntryRecord, 'updatedAt'>): number {
  const at = details.passwordChangedAt;
  return typeof at === 'number' && Number.isFinite(at) && at > 0 ? at : record.updatedAt;
}

/** The date to seal with a new version: kept when the password is the same, else the time of the write. */
export function nextPasswordChangedAt(previous: { password: string; changedAt: number } | undefined, password: string, at: number): number {
  return previous && previous.password === password ? previous.changedAt : at;
}

/** After a merge: the date of whichever side's password won, or the merge time for a new one. */
export function mergedPasswordChangedAt(password: string, sides: { password: string; changedAt: number }[], at: number): number {
  const same = sides.filter((s) => s.password === password).map((s) => s.changedAt);
  return same.length > 0 ? Math.min(...same) : at;
}
