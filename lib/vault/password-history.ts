// An entry's earlier passwords, each with when it was replaced: kept inside the details ciphertext
// (with the password itself), newest first, at most PASSWORD_HISTORY_MAX.
import { PASSWORD_HISTORY_MAX, type PasswordHistoryItem } from '../model/entry';

/** The history as sealed; anything that is not a list of dated passwords reads as none. */
export function passwordHistoryOf(value: unknown): PasswordHistoryItem[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((h): h is PasswordHistoryItem => typeof h?.password === 'string' && typeof h?.replacedAt === 'number' && Number.isFinite(h.replacedAt))
    .map((h) => ({ password: h.password, replacedAt: h.replacedAt }))
    .slice(0, PASSWORD_HISTORY_MAX);
}

/**
 * The history to seal with a new version: when the password changed, the one it replaces goes
 * first (an empty password is not kept); otherwise the history stays as it was.
 */
export function nextPasswordHistory(previous: { password: string; history: PasswordHistoryItem[] } | undefined, password: string, at: number): PasswordHistoryItem[] {
  if (!previous) return [];
  if (previous.password === password || previous.password === '') return previous.history;
  return [{ password: previous.password, replacedAt: at }, ...previous.history].slice(0, PASSWORD_HISTORY_MAX);
}

/** Both devices' histories after a merge: every replaced password either kept, newest first. */
export function mergePasswordHistory(...sides: PasswordHistoryItem[][]): PasswordHistoryItem[] {
  const seen = new Set<string>();
  const all: PasswordHistoryItem[] = [];
  for (const h of sides.flat()) {
    const key = JSON.stringify([h.password, h.replacedAt]);
    if (seen.has(key)) continue;
    seen.add(key);
    all.push(h);
  }
  return all.sort((a, b) => b.replacedAt - a.replacedAt).slice(0, PASSWORD_HISTORY_MAX);
}
