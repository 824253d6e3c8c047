// The strength meter, loaded on demand: zxcvbn and its dictionaries are most of a megabyte, so they
// stay out of the popup's first chunk and load only on the create-vault screen.

export type Score = 0 | 1 | 2 | 3 | 4;

export interface Strength {
  score: Score;
  /** zxcvbn's main warning, '' when it has none. */
  warning: string;
  suggestions: string[];
  /** How long an offline attacker with a slow hash would need, in words ("3 centuries"). */
  crackTime: string;
}

export type StrengthMeter = (password: string, userInputs?: string[]) => Strength;

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
      translations: en.translations,
      graphs: common.adjacencyGraphs,
      dictionary: { ...common.dictionary, ...en.dictionary },
    });
    return (password: string, userInputs: string[] = []) => {
      const r = zxcvbn(password.slice(0, SCORED_LENGTH), userInputs);
      return {
        score: r.score as Score,
        warning: r.feedback.warning ?? '',
        suggestions: r.feedback.suggestions,
        crackTime: String(r.crackTimesDisplay.offlineSlowHashing1e4PerSecond),
      };
    };
  })();
  loading.catch(() => {
    loading = undefined; // let a later attempt retry
  });
  return loading;
}
