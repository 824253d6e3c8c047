// zxcvbn's words in the browser's language: its warnings and suggestions come from the catalogue
// (strengthWarning…, strengthSuggestion…), and the crack time is a number with its unit formatted
// by Intl, where zxcvbn would say it in English.
import type { TranslationKeys } from '@zxcvbn-ts/core';
import { t, uiLanguage, type MessageKey } from '../i18n';

type Warning = keyof TranslationKeys['warnings'];
type Suggestion = keyof TranslationKeys['suggestions'];

const WARNINGS: Record<Warning, MessageKey> = {
  straightRow: 'strengthWarningStraightRow',
  keyPattern: 'strengthWarningKeyPattern',
  simpleRepeat: 'strengthWarningSimpleRepeat',
  extendedRepeat: 'strengthWarningExtendedRepeat',
  sequences: 'strengthWarningSequences',
  recentYears: 'strengthWarningRecentYears',
  dates: 'strengthWarningDates',
  topTen: 'strengthWarningTopTen',
  topHundred: 'strengthWarningTopHundred',
  common: 'strengthWarningCommon',
  similarToCommon: 'strengthWarningSimilarToCommon',
  wordByItself: 'strengthWarningWordByItself',
  namesByThemselves: 'strengthWarningNamesByThemselves',
  commonNames: 'strengthWarningCommonNames',
  userInputs: 'strengthWarningUserInputs',
  pwned: 'strengthWarningPwned',
};

const SUGGESTIONS: Record<Suggestion, MessageKey> = {
  l33t: 'strengthSuggestionL33t',
  reverseWords: 'strengthSuggestionReverseWords',
  allUppercase: 'strengthSuggestionAllUppercase',
  capitalization: 'strengthSuggestionCapitalization',
  dates: 'strengthSuggestionDates',
  recentYears: 'strengthSuggestionRecentYears',
  associatedYears: 'strengthSuggestionAssociatedYears',
  sequences: 'strengthSuggestionSequences',
  repeated: 'strengthSuggestionRepeated',
  longerKeyboardPattern: 'strengthSuggestionLongerKeyboardPattern',
  anotherWord: 'strengthSuggestionAnotherWord',
  useWords: 'strengthSuggestionUseWords',
  noNeed: 'strengthSuggestionNoNeed',
  pwned: 'strengthSuggestionPwned',
};

const translate = <K extends string>(keys: Record<K, MessageKey>) => Object.fromEntries(Object.entries<MessageKey>(keys).map(([name, key]) => [name, t(key)])) as Record<K, string>;

/**
 * zxcvbn's translations from the catalogue. Its own time estimates stay English: they are not
 * shown (crackTimeText says the time instead).
 */
export function zxcvbnTranslations(english: TranslationKeys): TranslationKeys {
  return { ...english, warnings: translate(WARNINGS), suggestions: translate(SUGGESTIONS) };
}

/** zxcvbn's units (a month is 31 days), largest first. */
const UNITS = [
  ['year', 31 * 12 * 86_400],
  ['month', 31 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
] as const;

/** A crack time in words, rounded to its largest unit as zxcvbn does ("4 months", "4 Monate"). */
export function crackTimeText(seconds: number): string {
  if (seconds < 1) return t('strengthLessThanSecond');
  if (seconds >= 100 * UNITS[0][1]) return t('strengthCenturies');
  const [unit, size] = UNITS.find(([, size]) => seconds >= size)!;
  return new Intl.NumberFormat(uiLanguage(), { style: 'unit', unit, unitDisplay: 'long' }).format(Math.round(seconds / size));
}
