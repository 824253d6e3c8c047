// Every translation of the catalogue (public/_locales/<lang>/messages.json) against the English one:
// the same keys, the same substitutions, the plural forms its language needs, nothing left in English.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { SAME_IN_GERMAN } from './same-in-german';

type Catalogue = Record<string, { message: string }>;

const root = new URL('../../../public/_locales/', import.meta.url);
const read = (lang: string): Catalogue => JSON.parse(readFileSync(new URL(`${lang}/messages.json`, root), 'utf8')) as Catalogue;
const en = read('en');
const translations = readdirSync(root).filter((lang) => lang !== 'en');
/** Words the same in a language and in English, by language; German is the only translation so far. */
const SAME_AS_ENGLISH: Record<string, ReadonlySet<string>> = { de: SAME_IN_GERMAN };
const PLURAL = /^(.*)_(zero|one|two|few|many|other)$/;

/** `$1`…`$9` and `$$` of a message, sorted: a translation may reorder them, not drop or add one. */
function substitutions(message: string): string[] {
  return (message.match(/\$(\$|[1-9])/g) ?? []).sort();
}

/** The problems of `translated` against `english`, one line each (empty when there are none). */
function catalogueProblems(lang: string, english: Catalogue, translated: Catalogue, same: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories as string[];
  const plurals = new Set(Object.keys(english).flatMap((k) => PLURAL.exec(k)?.[1] ?? []));
  for (const key of Object.keys(english)) {
    const plural = PLURAL.exec(key);
    // English's _one is German's _one; a language without "one" leaves it out.
    if (plural && !categories.includes(plural[2]!)) continue;
    const entry = translated[key];
    if (!entry) problems.push(`${key}: missing`);
    else if (substitutions(entry.message).join() !== substitutions(english[key]!.message).join()) {
      problems.push(`${key}: substitutions ${substitutions(entry.message).join() || 'none'} instead of ${substitutions(english[key]!.message).join() || 'none'}`);
    } else if (entry.message === english[key]!.message && !same.has(key)) problems.push(`${key}: still in English`);
  }
  // Forms English does not have (Polish "few" and "many"): each one the language needs is there.
  for (const base of plurals) {
    for (const category of categories) if (!english[`${base}_${category}`] && !translated[`${base}_${category}`]) problems.push(`${base}_${category}: missing`);
  }
  for (const key of Object.keys(translated)) {
    const plural = PLURAL.exec(key);
    if (!plural || !plurals.has(plural[1]!)) {
      if (!english[key]) problems.push(`${key}: not in the English catalogue`);
    } else if (!categories.includes(plural[2]!)) {
      problems.push(`${key}: ${lang} has no plural form “${plural[2]}”`);
    } else if (!english[key] && substitutions(translated[key]!.message).join() !== substitutions(english[`${plural[1]}_other`]!.message).join()) {
      problems.push(`${key}: substitutions differ from ${plural[1]}_other`);
    }
  }
  for (const key of same) if (english[key] && translated[key] && english[key]!.message !== translated[key]!.message) problems.push(`${key}: translated, so not the same as English any more`);
  return problems;
}

describe('translations of the catalogue', () => {
  it('has a German one', () => {
    expect(translations).toContain('de');
  });

  it('finds a missing key, a lost or added substitution, a key English lacks, a form the language lacks, and English left over', () => {
    const english: Catalogue = { a: { message: 'Delete “$1”?' }, b: { message: 'Copy' }, c: { message: 'Latchkey' }, n_one: { message: '$1 entry' }, n_other: { message: '$1 entries' } };
    expect(catalogueProblems('de', english, { a: { message: '„$1“ löschen?' }, b: { message: 'Kopieren' }, c: { message: 'Latchkey' }, n_one: { message: '$1 Eintrag' }, n_other: { message: '$1 Einträge' } }, new Set(['c']))).toEqual([]);
    expect(catalogueProblems('de', english, { a: { message: 'löschen?' }, c: { message: 'Latchkey' }, n_one: { message: '$1 Eintrag' }, n_other: { message: '$1 Einträge $2' }, d: { message: 'x' }, n_few: { message: '$1' } }, new Set())).toEqual([
      'a: substitutions none instead of $1',
      'b: missing',
      'c: still in English',
      'n_other: substitutions $1,$2 instead of $1',
      'd: not in the English catalogue',
      'n_few: de has no plural form “few”',
    ]);
    // Polish needs "few" and "many": a form English lacks is allowed, and checked against _other.
    expect(catalogueProblems('pl', english, { a: { message: 'Usunąć „$1”?' }, b: { message: 'Kopiuj' }, c: { message: 'Latchkey' }, n_one: { message: '$1 wpis' }, n_few: { message: '$1 wpisy' }, n_many: { message: 'wpisów' }, n_other: { message: '$1 wpisu' } }, new Set(['c']))).toEqual([
      'n_many: substitutions differ from n_other',
    ]);
    expect(catalogueProblems('pl', english, { a: { message: 'Usunąć „$1”?' }, b: { message: 'Kopiuj' }, c: { message: 'Latchkey' }, n_one: { message: '$1 wpis' }, n_other: { message: '$1 wpisu' } }, new Set(['c']))).toEqual([
      'n_few: missing',
      'n_many: missing',
    ]);
  });

  it.each(translations)('%s has every English message, with the same substitutions, and no other', (lang) => {
    expect(catalogueProblems(lang, en, read(lang), SAME_AS_ENGLISH[lang] ?? new Set())).toEqual([]);
  });

  it.each(translations)('%s keeps what the manifest takes from it within Chrome’s limits', (lang) => {
    const catalogue = read(lang);
    expect(catalogue.extName!.message.length).toBeLessThanOrEqual(75);
    expect(catalogue.extDescription!.message.length).toBeLessThanOrEqual(132);
    expect(catalogue.commandFillLogin!.message.length).toBeGreaterThan(0);
  });

  it.each(translations)('%s is sorted, one message a line (node scripts/i18n-format.mjs)', async (lang) => {
    // @ts-expect-error: a plain .mjs script without types
    const { formatCatalogue } = (await import('../../../scripts/i18n-format.mjs')) as { formatCatalogue(m: unknown): string };
    const text = readFileSync(new URL(`${lang}/messages.json`, root), 'utf8');
    expect(text).toBe(formatCatalogue(JSON.parse(text)));
  });
});
