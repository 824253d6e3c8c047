// The one rule for a new master password: first run, registration and change of password use it in
// the page (as the person types) and the background enforces it again before it keys anything.
import { formatNumber, t } from '../i18n';
import { loadStrengthMeter, type Score } from './strength';

/** zxcvbn 2 ("somewhat guessable", about 10^8 guesses) is the least we accept. */
export const MIN_MASTER_SCORE: Score = 2;
export const MIN_MASTER_LENGTH = 8;
/** Without the meter (it failed to load) we fall back to length alone. */
export const FALLBACK_MIN_LENGTH = 14;
/** Words that make a master password guessable for this product in particular. */
export const MASTER_PASSWORD_USER_INPUTS = ['latchkey'];

export interface StrengthVerdict {
  score: Score;
  warning: string;
}

/**
 * Why this cannot become the master password, or undefined when it can.
 * `strength` is undefined while the meter loads and null when it could not load.
 */
export function masterPasswordProblem(password: string, strength: StrengthVerdict | null | undefined): string | undefined {
  if (typeof password !== 'string' || !password) return t('createProblemEmpty');
  if ([...password].length < MIN_MASTER_LENGTH) return t('createProblemShort', formatNumber(MIN_MASTER_LENGTH));
  if (strength === undefined) return t('createProblemChecking');
  if (strength === null) {
    if ([...password].length < FALLBACK_MIN_LENGTH) return t('createProblemShort', formatNumber(FALLBACK_MIN_LENGTH));
  } else if (strength.score < MIN_MASTER_SCORE) {
    return strength.warning ? t('createProblemWeakBecause', strength.warning.replace(/\.?$/, '.')) : t('createProblemWeak');
  }
  return undefined;
}

/** Rates a password where the meter can run; null when it cannot load (then length alone decides). */
export type RateStrength = (password: string) => Promise<StrengthVerdict | null>;

export const rateWithMeter: RateStrength = async (password) => {
  try {
    const meter = await loadStrengthMeter();
    const { score, warning } = meter(password, MASTER_PASSWORD_USER_INPUTS);
    return { score, warning };
  } catch {
    return null;
  }
};
