import { describe, expect, it } from 'vitest';
import { loadWordList } from '../../../lib/generator';
import { generatePassphrase, passphraseEntropyBits, passphraseOptionsProblem, type PassphraseOptions } from '../../../lib/generator/passphrase';
import { WORDS, parseDicewareList } from '../../../lib/generator/words';
import { DEFAULT_PASSPHRASE_OPTIONS } from '../../../lib/generator/passphrase';
import { loadStrengthMeter } from '../../../lib/model/strength';
import { describeBits } from '../../../lib/ui/generator-settings';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const opts = (over: Partial<PassphraseOptions> = {}): PassphraseOptions => ({ words: 5, separator: '-', capitalize: false, includeNumber: false, ...over });

describe('word list', () => {
  const file = readFileSync(new URL('../../../lib/generator/eff_large_wordlist.txt', import.meta.url));

  it("is EFF's long word list, byte for byte (its published SHA-256)", () => {
    expect(createHash('sha256').update(file).digest('hex')).toBe('addd35536511597a02fa0a9ff1e5284677b8883b83e986e43f15a3db996b903e');
    expect(WORDS).toEqual(parseDicewareList(file.toString('utf8')));
  });

  it('holds 7,776 unique words, one per roll of five dice (12.9 bits a word)', () => {
    expect(WORDS).toHaveLength(7776);
    expect(new Set(WORDS).size).toBe(7776);
    for (const w of WORDS) expect(w).toMatch(/^[a-z]+(-[a-z]+)?$/);
    expect(Math.log2(WORDS.length)).toBeCloseTo(12.925, 3);
    expect(WORDS[0]).toBe('abacus');
    expect(WORDS[7775]).toBe('zoom');
  });

  it('is loaded lazily as the same list', async () => {
    expect(await loadWordList()).toBe(WORDS);
  });
});

describe('the default passphrase', () => {
  it('keeps 5 words, about 64 bits, which the generator calls strong', () => {
    expect(DEFAULT_PASSPHRASE_OPTIONS.words).toBe(5);
    const bits = passphraseEntropyBits(DEFAULT_PASSPHRASE_OPTIONS, WORDS.length);
    expect(bits).toBe(64);
    expect(describeBits(bits)).toBe('strong');
  });

  it('rates at least "Strong" on the strength meter, every one of 60 drawn', async () => {
    const meter = await loadStrengthMeter();
    let lowest = 4;
    for (let i = 0; i < 60; i++) lowest = Math.min(lowest, meter(generatePassphrase(DEFAULT_PASSPHRASE_OPTIONS, WORDS)).score);
    expect(lowest).toBeGreaterThanOrEqual(3);
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
      // Four EFF words have a hyphen of their own (t-shirt, yo-yo, drop-down, felt-tip).
      expect(parts.every((p) => /^[A-Z][a-z]*(-[a-z]+)?\d?$/.test(p))).toBe(true);
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
