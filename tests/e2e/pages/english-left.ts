// Finds English on an extension page: its visible text, and the names and hints a screen reader
// reads (aria-label, title, placeholder, alt), against every message of the English catalogue, its
// substitutions matching anything. Messages written the same in German are not counted
// (tests/unit/i18n/same-in-german.ts), nor the person's own data passed as `userData`.
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SAME_IN_GERMAN } from '../../unit/i18n/same-in-german';

type Catalogue = Record<string, { message: string }>;

export function catalogue(lang: string): Catalogue {
  return JSON.parse(readFileSync(resolve('public/_locales', lang, 'messages.json'), 'utf8')) as Catalogue;
}

/** A message of `lang`'s catalogue, `$1`… filled in: what the page shows, to find elements by. */
export function messageOf(lang: string): (key: string, ...subs: string[]) => string {
  const messages = catalogue(lang);
  return (key, ...subs) => {
    const entry = messages[key];
    if (!entry) throw new Error(`${key} is not in the ${lang} catalogue`);
    return entry.message.replace(/\$(\$|[1-9])/g, (_, what: string) => (what === '$' ? '$' : (subs[Number(what) - 1] ?? '')));
  };
}

const normalize = (s: string) => s.replace(/\s+/g, ' ').trim();
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Matcher {
  key: string;
  /** The whole message, substitutions matching anything: a text that is this message. */
  whole: RegExp;
  /** Its literal stretches of two words or more: found inside longer text (a sentence cut by markup). */
  stretches: string[];
}

function englishMatchers(): Matcher[] {
  return Object.entries(catalogue('en')).flatMap(([key, { message }]) => {
    if (SAME_IN_GERMAN.has(key)) return [];
    // Spaces collapsed but kept at the ends: in "$1 on $2" the spaces around "on" are part of it.
    const literal = message.split(/\$[1-9]/).map((piece) => piece.replace(/\$\$/g, '$').replace(/\s+/g, ' '));
    // Messages of substitutions and punctuation ("$1 ($2)") say nothing in any language.
    if (literal.join('').replace(/[^\p{L}]/gu, '').length < 2) return [];
    const whole = new RegExp(`^${literal.map((piece, i) => escapeRegExp(i === 0 ? piece.trimStart() : i === literal.length - 1 ? piece.trimEnd() : piece)).join('.+?')}$`, 'u');
    const stretches = literal.map((piece) => piece.trim()).filter((piece) => piece.length >= 10 && /\p{L}+ \p{L}+/u.test(piece));
    return [{ key, whole, stretches }];
  });
}

const MATCHERS = englishMatchers();

/** What the page shows and reads out: text nodes and accessible attributes of visible elements, and its whole text. */
async function readPage(page: Page): Promise<{ pieces: string[]; text: string }> {
  return page.evaluate(() => {
    const pieces: string[] = [document.title];
    const shown = (el: Element | null) => !!el && el.checkVisibility({ checkVisibilityCSS: true });
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('script, style')) continue;
      // An option is drawn by its select, closed or open.
      if (shown(parent instanceof HTMLOptionElement ? parent.closest('select') : parent)) pieces.push(node.textContent ?? '');
    }
    for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
      if (!shown(el)) continue;
      for (const name of ['aria-label', 'title', 'placeholder', 'alt']) pieces.push(el.getAttribute(name) ?? '');
    }
    return { pieces, text: document.body.innerText };
  });
}

/** The English messages the page shows, as `key: what was shown` (empty when there are none). */
export async function englishOn(page: Page, userData: readonly string[] = []): Promise<string[]> {
  const { pieces, text } = await readPage(page);
  const own = new Set(userData);
  const found = new Set<string>();
  for (const piece of pieces.map(normalize)) {
    if (!piece || own.has(piece)) continue;
    for (const m of MATCHERS) if (m.whole.test(piece)) found.add(`${m.key}: ${piece}`);
  }
  const all = normalize(text);
  for (const m of MATCHERS) for (const stretch of m.stretches) if (all.includes(stretch)) found.add(`${m.key}: …${stretch}…`);
  return [...found].sort();
}

/** The message keys `englishOn` found. */
export const keysOf = (found: readonly string[]) => [...new Set(found.map((f) => f.slice(0, f.indexOf(':'))))];
