// What a new master password must be before a vault is created with it.
import { formatNumber, t, type MessageKey } from '../i18n';
import type { Score } from './strength';

/** zxcvbn 2 ("somewhat guessable", about 10^8 guesses) is the least we accept. */
export const MIN_MASTER_SCORE: Score = 2;
export const MIN_MASTER_LENGTH = 8;
/** Without the meter (it failed to load) we fall back to length alone. */
export const FALLBACK_MIN_LENGTH = 14;

const STRENGTH_LABELS: Record<Score, MessageKey> = {
  0: 'strengthScore0',
  1: 'strengthScore1',
  2: 'strengthScore2',
  3: 'strengthScore3',
  4: 'strengthScore4',
};

export function strengthLabel(score: Score): string {
  return t(STRENGTH_LABELS[score]);
}

export interface StrengthVerdict {
  score: Score;
  warning: string;
}

/**
 * Why this pair cannot become the master password, or undefined when it can.
 * `strength` is undefined while the meter loads and null when it could not load.
 */
export function newMasterPasswordProblem(password: string, confirmation: string, strength: StrengthVerdict | null | undefined): string | undefined {
  if (!password) return t('createProblemEmpty');
  if (password.length < MIN_MASTER_LENGTH) return t('createProblemShort', formatNumber(MIN_MASTER_LENGTH));
  if (strength === undefined) return t('createProblemChecking');
  if (strength === null) {
    if (password.length < FALLBACK_MIN_LENGTH) return t('createProblemShort', formatNumber(FALLBACK_MIN_LENGTH));
  } else if (strength.score < MIN_MASTER_SCORE) {
    return strength.warning ? t('createProblemWeakBecause', strength.warning.replace(/\.?$/, '.')) : t('createProblemWeak');
  }
  if (password !== confirmation) return t('createProblemMismatch');
  return undefined;
}
