// The trash: a deleted entry keeps its record, marked with the time it was trashed (sealed in its
// overview, so the mark syncs as an edit), and is deleted for good 30 days later.
export const TRASH_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
export const TRASH_KEEP_MS = TRASH_DAYS * DAY_MS;

/** A trashed time as sealed, or undefined when there is none (or it is not a time). */
export function trashedAtOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Whether an entry trashed at `trashedAt` has been in the trash longer than 30 days at `now`. */
export function trashExpired(trashedAt: number, now: number): boolean {
  return now - trashedAt > TRASH_KEEP_MS;
}

/** When an entry trashed at `trashedAt` is deleted for good. */
export function trashExpiresAt(trashedAt: number): number {
  return trashedAt + TRASH_KEEP_MS;
}
