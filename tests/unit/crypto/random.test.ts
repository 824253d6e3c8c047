import { describe, expect, it } from 'vitest';
import { randomBytes } from '../../../lib/crypto/random';
import { expectAppError } from './helpers';

describe('randomBytes', () => {
  it('returns the requested number of bytes, different each time', () => {
    expect(randomBytes(0)).toEqual(new Uint8Array(0));
    const a = randomBytes(32);
    const b = randomBytes(32);
    expect(a.length).toBe(32);
    expect(a).not.toEqual(b);
  });

  it('fills buffers larger than one getRandomValues call (65,536 bytes) all the way', () => {
    const big = randomBytes(200_000);
    expect(big.length).toBe(200_000);
    // Each 64 KiB chunk must be filled: a chunk left at zero would show as a long zero run.
    for (let start = 0; start < big.length; start += 65536) {
      const chunk = big.subarray(start, Math.min(big.length, start + 65536));
      expect(chunk.some((x) => x !== 0)).toBe(true);
    }
    expect(big.subarray(199_900).some((x) => x !== 0)).toBe(true);
  });

  it('has roughly uniform bytes', () => {
    const counts = new Array<number>(256).fill(0);
    for (const b of randomBytes(256 * 400)) counts[b]!++;
    // Expected 400 per value; a broken generator (constant, 7-bit) lands far outside this.
    expect(Math.min(...counts)).toBeGreaterThan(250);
    expect(Math.max(...counts)).toBeLessThan(560);
  });

  it('refuses counts that are not whole numbers of 0 or more', () => {
    for (const n of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expectAppError(() => randomBytes(n), 'BAD_INPUT');
  });
});
