// What a new master password must be before a vault is created with it.
import type { Score } from './strength';

/** zxcvbn 2 ("somewhat guessable", about 10^8 guesses) is the least we accept. */
export const MIN_MASTER_SCORE: Score = 2;
export const MIN_MASTER_LENGTH = 8;
/** Without the meter (it failed to load) we fall back to length alone. */
export const FALLBACK_MIN_LENGTH = 14;

export const STRENGTH_LABELS: Record<Score, string> = {
  0: 'Very weak',
  1: 'Weak',
  2: 'Fair',
  3: 'Strong',
  4: 'Very strong',
};

export interface StrengthVerdict {
  score: Score;
  warning: string;
}

/**
 * Why this pair cannot become the master password, or undefined when it can.
 * `strength` is undefined while the meter loads and null when it could not load.
 */
export function newMasterPasswordProblem(password: string, confirmation: string, strength: StrengthVerdict | null | undefined): string | undefined {
  if (!password) return 'Choose a master password.';
  if (password.length < MIN_MASTER_LENGTH) return `Use at least ${MIN_MASTER_LENGTH} characters; a few unrelated words work well.`;
  if (strength === undefined) return 'Checking the password’s strength… try again in a moment.';
  if (strength === null) {
    if (password.length < FALLBACK_MIN_LENGTH) return `Use at least ${FALLBACK_MIN_LENGTH} characters; a few unrelated words work well.`;
  } else if (strength.score < MIN_MASTER_SCORE) {
    const why = strength.warning ? ` ${strength.warning.replace(/\.?$/, '.')}` : '';
    return `This password is too easy to guess.${why} Add more unrelated words or characters.`;
  }
  if (password !== confirmation) return 'The two passwords do not match. Type the same password in both fields.';
  return undefined;
}
