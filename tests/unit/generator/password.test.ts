import { describe, expect, it } from 'vitest';
import {
  CHARACTER_CLASSES,
  CLASS_ORDER,
  LOOK_ALIKES,
  charsetsFor,
  generatePassword,
  passwordEntropyBits,
  passwordOptionsProblem,
  type CharacterClass,
  type PasswordOptions,
} from '../../../lib/generator/password';

const opts = (length: number, classes: CharacterClass[] = [...CLASS_ORDER], avoidLookAlikes = false): PasswordOptions => ({ length, classes, avoidLookAlikes });

describe('generatePassword', () => {
  it('has the asked length and at least one character of every chosen class, every time', () => {
    for (let i = 0; i < 1000; i++) {
      const length = 4 + (i % 5);
      const pw = generatePassword(opts(length));
      expect(pw).toHaveLength(length);
      for (const c of CLASS_ORDER) expect([...pw].some((ch) => CHARACTER_CLASSES[c].includes(ch))).toBe(true);
    }
  });

  it('uses only characters of the chosen classes', () => {
    const allowed = CHARACTER_CLASSES.lower + CHARACTER_CLASSES.digits;
    for (let i = 0; i < 500; i++) {
      const pw = generatePassword(opts(24, ['lower', 'digits']));
      expect([...pw].every((ch) => allowed.includes(ch))).toBe(true);
    }
  });

  it('leaves out look-alike characters when asked', () => {
    const all = Array.from({ length: 300 }, () => generatePassword(opts(64, [...CLASS_ORDER], true))).join('');
    for (const ch of LOOK_ALIKES) expect(all).not.toContain(ch);
    expect(charsetsFor({ classes: ['upper'], avoidLookAlikes: true })[0]).not.toContain('O');
  });

  it('draws characters evenly (chi-square over 62 characters, 4,000 passwords of 32)', () => {
    const alphabet = CHARACTER_CLASSES.lower + CHARACTER_CLASSES.upper + CHARACTER_CLASSES.digits;
    const counts = new Map<string, number>([...alphabet].map((ch) => [ch, 0]));
    for (let i = 0; i < 4000; i++) for (const ch of generatePassword(opts(32, ['lower', 'upper', 'digits']))) counts.set(ch, counts.get(ch)! + 1);
    const total = 4000 * 32;
    const expected = total / alphabet.length;
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(120); // 61 degrees of freedom: p < 1e-5 above about 118
  });

  it('explains options that cannot make a password', () => {
    expect(passwordOptionsProblem(opts(3))).toMatch(/length from 4 to 128/);
    expect(passwordOptionsProblem(opts(129))).toMatch(/length/);
    expect(passwordOptionsProblem(opts(12, []))).toMatch(/at least one kind/);
    expect(passwordOptionsProblem(opts(12))).toBeUndefined();
    expect(() => generatePassword(opts(12, []))).toThrow(RangeError);
  });

  it('reports entropy from the alphabet size', () => {
    expect(passwordEntropyBits(opts(20, ['digits']))).toBe(Math.floor(20 * Math.log2(10)));
    expect(passwordEntropyBits(opts(20))).toBe(Math.floor(20 * Math.log2(26 + 26 + 10 + CHARACTER_CLASSES.symbols.length)));
  });
});
