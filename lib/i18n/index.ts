// Every string a person sees comes from the localization catalogue (public/_locales/<lang>/messages.json),
// through the browser's own i18n API, so that the extension's pages, its background (errors, menus,
// notifications) and its manifest read from one place. `$1`…`$9` in a message are its substitutions.
import type catalogue from '../../public/_locales/en/messages.json';
import { browser } from 'wxt/browser';
import { fallbackMessage } from './fallback';

export type MessageKey = keyof typeof catalogue;
/** Keys of messages that come in plural forms: `<key>_one`, `<key>_other` (and `_few`, `_many` where a language needs them). */
export type PluralKey = { [K in MessageKey]: K extends `${infer Base}_other` ? Base : never }[MessageKey];

type Substitution = string | number;

/**
 * The message for `key` in the browser's language, with `$1`… replaced by `subs`. A number is
 * written the browser's way (1,440 in English, 1.440 in German): pass a string to keep it as it is.
 */
export function t(key: MessageKey, ...subs: Substitution[]): string {
  const strings = subs.map((s) => (typeof s === 'number' ? formatNumber(s) : s));
  let text = '';
  try {
    text = browser?.i18n?.getMessage(key, strings) ?? '';
  } catch {
    // Outside an extension page (Node, the server's build of shared code): the English catalogue.
  }
  return text || fallbackMessage(key, strings);
}

/** The plural form of `key` for `count` in the browser's language; `$1` is the count, formatted. */
export function tn(key: PluralKey, count: number, ...subs: Substitution[]): string {
  const form = pluralRules().select(count);
  const formatted = formatNumber(count);
  const specific = `${key}_${form}` as MessageKey;
  const text = t(specific, formatted, ...subs);
  return text || t(`${key}_other` as MessageKey, formatted, ...subs);
}

/** The language the browser's UI is in (BCP 47), which also decides dates and numbers. */
export function uiLanguage(): string {
  try {
    return browser?.i18n?.getUILanguage() || 'en';
  } catch {
    return 'en';
  }
}

let rules: Intl.PluralRules | undefined;
function pluralRules(): Intl.PluralRules {
  return (rules ??= new Intl.PluralRules(uiLanguage()));
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat(uiLanguage()).format(n);
}

export function formatDate(d: Date | number, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }): string {
  return new Intl.DateTimeFormat(uiLanguage(), options).format(d);
}

/** A piece of a message: literal text, or the substitution numbered `sub` (0 for `$1`). */
export type MessagePart = { text: string; sub?: number };

/**
 * The message for `key` cut at its substitutions, for a template that marks them up (a host in bold)
 * without building the sentence from fragments: the translation still decides the word order.
 */
export function tParts(key: MessageKey, ...subs: Substitution[]): MessagePart[] {
  const markers = subs.map((_, i) => String.fromCharCode(0xe000 + i));
  const parts: MessagePart[] = [];
  for (const piece of t(key, ...markers).split(/([\ue000-\ue008])/)) {
    if (!piece) continue;
    const sub = markers.indexOf(piece);
    const value = subs[sub];
    parts.push(sub >= 0 ? { text: typeof value === 'number' ? formatNumber(value) : String(value), sub } : { text: piece });
  }
  return parts;
}
