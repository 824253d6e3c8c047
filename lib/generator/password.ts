// Random passwords from chosen character classes, with at least one character of every class.
import { randomInt, type RandomSource, cryptoSource } from './random';
import { t } from '../i18n';

export const CHARACTER_CLASSES = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  // No quotes, backslash, backtick or space: sites reject them more often than any other symbol.
  symbols: '!#$%&()*+,-./:;<=>?@[]^_{|}~',
} as const;

export type CharacterClass = keyof typeof CHARACTER_CLASSES;
export const CLASS_ORDER: readonly CharacterClass[] = ['lower', 'upper', 'digits', 'symbols'];

/** Characters people misread when they copy a password by hand. */
export const LOOK_ALIKES = 'Il1|O0o';

export const PASSWORD_LENGTH = { min: 4, max: 128, default: 20 } as const;

export interface PasswordOptions {
  length: number;
  classes: readonly CharacterClass[];
  avoidLookAlikes: boolean;
}

export const DEFAULT_PASSWORD_OPTIONS: PasswordOptions = {
  length: PASSWORD_LENGTH.default,
  classes: CLASS_ORDER,
  avoidLookAlikes: false,
};

/** The character set of each chosen class, look-alikes removed when asked. */
export function charsetsFor(options: Pick<PasswordOptions, 'classes' | 'avoidLookAlikes'>): string[] {
  const chosen = CLASS_ORDER.filter((c) => options.classes.includes(c));
  return chosen.map((c) => {
    const chars = CHARACTER_CLASSES[c];
    return options.avoidLookAlikes ? [...chars].filter((ch) => !LOOK_ALIKES.includes(ch)).join('') : chars;
  });
}

/** Why these options cannot make a password, or undefined when they can. */
export function passwordOptionsProblem(options: PasswordOptions): string | undefined {
  if (!Number.isInteger(options.length) || options.length < PASSWORD_LENGTH.min || options.length > PASSWORD_LENGTH.max) {
    return t('generatorProblemLength', PASSWORD_LENGTH.min, PASSWORD_LENGTH.max);
  }
  const sets = charsetsFor(options);
  if (sets.length === 0) return t('generatorProblemNoSets');
  if (options.length < sets.length) return t('generatorProblemTooShortForSets', sets.length);
  return undefined;
}

/**
 * Draws every character uniformly from the union of the chosen sets and redraws the whole password
 * when a set is missing. Redrawing the whole password (rather than patching one character in) keeps
 * every valid password equally likely.
 */
export function generatePassword(options: PasswordOptions, source: RandomSource = cryptoSource): string {
  const problem = passwordOptionsProblem(options);
  if (problem) throw new RangeError(problem);
  const sets = charsetsFor(options);
  const alphabet = [...sets.join('')];
  for (;;) {
    let password = '';
    for (let i = 0; i < options.length; i++) password += alphabet[randomInt(alphabet.length, source)];
    if (sets.every((set) => [...password].some((ch) => set.includes(ch)))) return password;
  }
}

/** Entropy in bits, rounded down; the every-class rule removes a negligible share of passwords. */
export function passwordEntropyBits(options: PasswordOptions): number {
  const size = charsetsFor(options).join('').length;
  return size === 0 ? 0 : Math.floor(options.length * Math.log2(size));
}
