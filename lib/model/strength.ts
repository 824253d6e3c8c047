// The strength meter, loaded on demand: zxcvbn and its dictionaries are most of a megabyte, so they
// stay out of the popup's first chunk and load only where a password is rated.
import { crackTimeText, zxcvbnTranslations } from './strength-words';

export type Score = 0 | 1 | 2 | 3 | 4;

export interface Strength {
  /** Our rating (see scoreFromGuesses): the label, the bars and every rule read this one number. */
  score: Score;
  /** zxcvbn's main warning, '' when it has none. */
  warning: string;
  suggestions: string[];
  /** How long an offline attacker with a slow hash would need, in words of the browser's language ("4 months"). */
  crackTime: string;
}

export type StrengthMeter = (password: string, userInputs?: string[]) => Strength;

/** The guesses an offline attacker makes per second in the crack time shown (zxcvbn's "slow hash"). */
export const GUESSES_PER_SECOND = 1e4;

/**
 * The fewest guesses for each rating. zxcvbn's own score calls 10^10 guesses (about 12 days at
 * 10^4 a second) "very strong", so "Very strong: about 4 months to crack offline" read as a
 * contradiction. Our rating follows the crack time shown instead: strong needs years, very strong
 * millennia. Below "Fair" it keeps zxcvbn's thresholds (including its +5), so the master-password
 * rule (score 2 and up) and the health view's "weak" (below 2) mean what they meant before.
 */
export const SCORE_MIN_GUESSES: Record<Exclude<Score, 0>, number> = {
  1: 1e3 + 5,
  2: 1e6 + 5,
  3: 1e12, // about 3 years offline
  4: 1e15, // about 3,000 years offline
};

export function scoreFromGuesses(guesses: number): Score {
  for (const s of [4, 3, 2, 1] as const) if (guesses >= SCORE_MIN_GUESSES[s]) return s;
  return 0;
}

/** zxcvbn's running time grows with length; beyond this many characters the score no longer changes. */
const SCORED_LENGTH = 100;

let loading: Promise<StrengthMeter> | undefined;

export function loadStrengthMeter(): Promise<StrengthMeter> {
  loading ??= (async () => {
    const [{ zxcvbn, zxcvbnOptions }, common, en] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    zxcvbnOptions.setOptions({
      translations: zxcvbnTranslations(en.translations),
      graphs: common.adjacencyGraphs,
      dictionary: { ...common.dictionary, ...en.dictionary },
    });
    return (password: string, userInputs: string[] = []) => {
      const r = zxcvbn(password.slice(0, SCORED_LENGTH), userInputs);
      return {
        score: scoreFromGuesses(r.guesses),
        warning: r.feedback.warning ?? '',
        suggestions: r.feedback.suggestions,
        crackTime: crackTimeText(r.crackTimesSeconds.offlineSlowHashing1e4PerSecond),
      };
    };
  })();
  loading.catch(() => {
    loading = undefined; // let a later attempt retry
  });
  return loading;
}

/** Rates many passwords with one meter; null when the meter cannot load. */
export async function ratePasswords(passwords: readonly string[]): Promise<Strength[] | null> {
  let meter: StrengthMeter;
  try {
    meter = await loadStrengthMeter();
  } catch {
    return null;
  }
  return passwords.map((p) => meter(p));
}
