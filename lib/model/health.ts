// The rules of password health (issue 16): weak, reused and old passwords. Pure, with the clock
// passed in; the background's health service feeds it (passwords never reach the popup).
import { MIN_MASTER_SCORE } from './master-password';
import type { Score } from './strength';

/** Shorter than this is weak, whatever the meter says (a short password falls to brute force). */
export const WEAK_BELOW_LENGTH = 12;
/** Unchanged for this long is old. */
export const OLD_AFTER_MS = 365 * 24 * 60 * 60 * 1000;

/** What the rules need to know of one entry's password: never the password itself. */
export interface PasswordFacts {
  id: string;
  /** Keyed fingerprint (lib/crypto/password-fingerprint), encoded; equal passwords, equal fingerprints. */
  fingerprint: string;
  length: number;
  /** The meter's score; null when it could not run (then length alone decides). */
  score: Score | null;
  changedAt: number;
}

export interface HealthFindings {
  weak: string[];
  /** Groups of entries that share one password, largest first; each group has two entries or more. */
  reused: string[][];
  old: string[];
}

/** Weak: the score the master password must reach is not reached, or it is under 12 characters. */
export function isWeak(facts: Pick<PasswordFacts, 'length' | 'score'>): boolean {
  return facts.length < WEAK_BELOW_LENGTH || (facts.score !== null && facts.score < MIN_MASTER_SCORE);
}

export function isOld(changedAt: number, now: number): boolean {
  return now - changedAt >= OLD_AFTER_MS;
}

export function findHealthProblems(passwords: Iterable<PasswordFacts>, now: number): HealthFindings {
  const weak: string[] = [];
  const old: string[] = [];
  const byFingerprint = new Map<string, string[]>();
  for (const p of passwords) {
    if (p.length === 0) continue; // no password: nothing to be weak, reused or old
    if (isWeak(p)) weak.push(p.id);
    if (isOld(p.changedAt, now)) old.push(p.id);
    const group = byFingerprint.get(p.fingerprint);
    if (group) group.push(p.id);
    else byFingerprint.set(p.fingerprint, [p.id]);
  }
  const reused = [...byFingerprint.values()].filter((g) => g.length > 1).sort((a, b) => b.length - a.length);
  return { weak, reused, old };
}
