// Passphrases: words drawn uniformly from a word list, optionally capitalised and with one digit.
import { randomInt, type RandomSource, cryptoSource } from './random';
import { t } from '../i18n';

export const PASSPHRASE_WORDS = { min: 3, max: 12, default: 5 } as const;

export interface PassphraseOptions {
  words: number;
  separator: string;
  capitalize: boolean;
  includeNumber: boolean;
}

export const DEFAULT_PASSPHRASE_OPTIONS: PassphraseOptions = {
  words: PASSPHRASE_WORDS.default,
  separator: '-',
  capitalize: false,
  includeNumber: false,
};

export function passphraseOptionsProblem(options: PassphraseOptions): string | undefined {
  if (!Number.isInteger(options.words) || options.words < PASSPHRASE_WORDS.min || options.words > PASSPHRASE_WORDS.max) {
    return t('generatorProblemWords', PASSPHRASE_WORDS.min, PASSPHRASE_WORDS.max);
  }
  if ([...options.separator].length > 3) return t('generatorProblemSeparator');
  return undefined;
}

export function generatePassphrase(options: PassphraseOptions, wordList: readonly string[], source: RandomSource = cryptoSource): string {
  const problem = passphraseOptionsProblem(options);
  if (problem) throw new RangeError(problem);
  if (wordList.length < 2) throw new RangeError('The word list is empty.');
  const words: string[] = [];
  for (let i = 0; i < options.words; i++) {
    const word = wordList[randomInt(wordList.length, source)]!;
    words.push(options.capitalize ? word.charAt(0).toUpperCase() + word.slice(1) : word);
  }
  if (options.includeNumber) {
    const at = randomInt(words.length, source);
    words[at] += String(randomInt(10, source));
  }
  return words.join(options.separator);
}

export function passphraseEntropyBits(options: PassphraseOptions, wordListSize: number): number {
  const bits = options.words * Math.log2(wordListSize) + (options.includeNumber ? Math.log2(10 * options.words) : 0);
  return Math.floor(bits);
}
