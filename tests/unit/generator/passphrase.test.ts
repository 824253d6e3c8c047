import { describe, expect, it } from 'vitest';
import { loadWordList } from '../../../lib/generator';
import { generatePassphrase, passphraseEntropyBits, passphraseOptionsProblem, type PassphraseOptions } from '../../../lib/generator/passphrase';
import { WORDS } from '../../../lib/generator/words';

const opts = (over: Partial<PassphraseOptions> = {}): PassphraseOptions => ({ words: 5, separator: '-', capitalize: false, includeNumber: false, ...over });

describe('word list', () => {
  it('holds 1,000 to 2,000 unique lowercase words of 3 to 9 letters', () => {
    expect(WORDS.length).toBeGreaterThanOrEqual(1000);
    expect(WORDS.length).toBeLessThanOrEqual(2000);
    expect(new Set(WORDS).size).toBe(WORDS.length);
    for (const w of WORDS) expect(w).toMatch(/^[a-z]{3,9}$/);
  });

  it('is loaded lazily as the same list', async () => {
    expect(await loadWordList()).toBe(WORDS);
  });
});

describe('generatePassphrase', () => {
  it('joins the asked number of list words with the separator', () => {
    for (let i = 0; i < 200; i++) {
      const parts = generatePassphrase(opts({ words: 6, separator: '.' }), WORDS).split('.');
      expect(parts).toHaveLength(6);
      for (const p of parts) expect(WORDS).toContain(p);
    }
  });

  it('capitalises words and adds exactly one digit when asked', () => {
    for (let i = 0; i < 200; i++) {
      const phrase = generatePassphrase(opts({ capitalize: true, includeNumber: true, separator: ' ' }), WORDS);
      const parts = phrase.split(' ');
      expect(parts.every((p) => /^[A-Z][a-z]+\d?$/.test(p))).toBe(true);
      expect(phrase.replace(/\D/g, '')).toHaveLength(1);
    }
  });

  it('picks words evenly (chi-square over an 8-word list)', () => {
    const list = ['a1', 'b2', 'c3', 'd4', 'e5', 'f6', 'g7', 'h8'];
    const counts = new Map(list.map((w) => [w, 0]));
    for (let i = 0; i < 10_000; i++) for (const w of generatePassphrase(opts({ words: 4, separator: ' ' }), list).split(' ')) counts.set(w, counts.get(w)! + 1);
    const expected = 40_000 / 8;
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(29.9); // p = 0.0001 at 7 degrees of freedom
  });

  it('explains options that cannot make a passphrase', () => {
    expect(passphraseOptionsProblem(opts({ words: 2 }))).toMatch(/3 to 12 words/);
    expect(passphraseOptionsProblem(opts({ separator: '----' }))).toMatch(/separator/);
    expect(() => generatePassphrase(opts({ words: 13 }), WORDS)).toThrow(RangeError);
  });

  it('reports entropy as words times log2 of the list size', () => {
    expect(passphraseEntropyBits(opts({ words: 5 }), 1024)).toBe(50);
    expect(passphraseEntropyBits(opts({ words: 5, includeNumber: true }), 1024)).toBe(Math.floor(50 + Math.log2(50)));
  });
});
