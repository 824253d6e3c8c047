// What a new master password must be before a vault is created with it: the rule is lib/model's,
// shared with the background; the page adds the confirmation and the meter's labels.
import { t, type MessageKey } from '../i18n';
import { masterPasswordProblem, type StrengthVerdict } from '../model/master-password';
import type { Score } from '../model/strength';

export { FALLBACK_MIN_LENGTH, MIN_MASTER_LENGTH, MIN_MASTER_SCORE, MASTER_PASSWORD_USER_INPUTS, type StrengthVerdict } from '../model/master-password';

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

/**
 * Why this pair cannot become the master password, or undefined when it can.
 * `strength` is undefined while the meter loads and null when it could not load.
 */
export function newMasterPasswordProblem(password: string, confirmation: string, strength: StrengthVerdict | null | undefined): string | undefined {
  const problem = masterPasswordProblem(password, strength);
  if (problem) return problem;
  if (password !== confirmation) return t('createProblemMismatch');
  return undefined;
}
