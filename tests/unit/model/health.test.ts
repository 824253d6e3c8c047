import { describe, expect, it } from 'vitest';
import { findHealthProblems, isOld, isWeak, OLD_AFTER_MS, WEAK_BELOW_LENGTH, type PasswordFacts } from '../../../lib/model/health';

const NOW = Date.UTC(2026, 11, 5);
const DAY = 24 * 3600 * 1000;
const facts = (id: string, over: Partial<PasswordFacts> = {}): PasswordFacts => ({ id, fingerprint: `fp-${id}`, length: 20, score: 4, changedAt: NOW - DAY, ...over });

describe('health rules', () => {
  it('calls a password weak under 12 characters, or below the master-password score', () => {
    expect(WEAK_BELOW_LENGTH).toBe(12);
    expect(isWeak({ length: 11, score: 4 })).toBe(true);
    expect(isWeak({ length: 12, score: 4 })).toBe(false);
    expect(isWeak({ length: 30, score: 1 })).toBe(true);
    expect(isWeak({ length: 30, score: 2 })).toBe(false);
    // Without the meter, length alone decides.
    expect(isWeak({ length: 30, score: null })).toBe(false);
    expect(isWeak({ length: 8, score: null })).toBe(true);
  });

  it('calls a password old once unchanged for a year, to the millisecond', () => {
    expect(OLD_AFTER_MS).toBe(365 * DAY);
    expect(isOld(NOW - 365 * DAY, NOW)).toBe(true);
    expect(isOld(NOW - 365 * DAY + 1, NOW)).toBe(false);
  });

  it('groups entries by fingerprint: only groups of two or more are reused, largest first', () => {
    const found = findHealthProblems(
      [facts('a', { fingerprint: 'x' }), facts('b', { fingerprint: 'y' }), facts('c', { fingerprint: 'x' }), facts('d', { fingerprint: 'y' }), facts('e', { fingerprint: 'y' }), facts('f')],
      NOW,
    );
    expect(found.reused).toEqual([['b', 'd', 'e'], ['a', 'c']]);
    expect(found.weak).toEqual([]);
    expect(found.old).toEqual([]);
  });

  it('lists weak and old entries, and leaves entries without a password out of every kind', () => {
    const found = findHealthProblems(
      [facts('short', { length: 9 }), facts('guessable', { score: 0 }), facts('old', { changedAt: NOW - 400 * DAY }), facts('none', { length: 0, score: 0, changedAt: 0, fingerprint: 'e' }), facts('none2', { length: 0, fingerprint: 'e' })],
      NOW,
    );
    expect(found).toEqual({ weak: ['short', 'guessable'], reused: [], old: ['old'] });
  });
});
