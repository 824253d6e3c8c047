import { describe, expect, it } from 'vitest';
import { randomInt, type RandomSource } from '../../../lib/generator/random';

/** A source that hands out the given 32-bit values in order. */
function scripted(values: number[]): RandomSource & { used: number } {
  const source = Object.assign(
    (buffer: Uint32Array) => {
      buffer[0] = values[source.used++]!;
    },
    { used: 0 },
  );
  return source;
}

describe('randomInt', () => {
  it('rejects draws at or above the largest multiple of n instead of folding them with modulo', () => {
    // 2^32 = 3 * 1431655765 + 1: the single value 4294967295 would make 0 slightly more likely.
    const source = scripted([4294967295, 4294967294, 7]);
    expect(randomInt(3, source)).toBe(4294967294 % 3);
    expect(source.used).toBe(2);
    expect(randomInt(3, source)).toBe(1);
  });

  it('accepts every draw when n divides 2^32', () => {
    const source = scripted([4294967295]);
    expect(randomInt(256, source)).toBe(255);
    expect(source.used).toBe(1);
  });

  it('refuses sizes that are not whole numbers from 1 to 2^32', () => {
    for (const n of [0, -1, 1.5, Number.NaN, 2 ** 32 + 1]) expect(() => randomInt(n)).toThrow(RangeError);
    expect(randomInt(1)).toBe(0);
  });

  it('is uniform enough over the CSPRNG (chi-square, 10 buckets, 100,000 draws)', () => {
    const counts = new Array<number>(10).fill(0);
    const draws = 100_000;
    for (let i = 0; i < draws; i++) counts[randomInt(10)]!++;
    const expected = draws / 10;
    const chi2 = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(33.7); // p = 0.0001 at 9 degrees of freedom
  });
});
