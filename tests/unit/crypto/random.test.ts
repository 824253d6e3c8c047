import { describe, expect, it, vi } from 'vitest';
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

describe('randomBytes for small requests (one platform call per 4 KiB)', () => {
  it('never hands out the same bytes twice, across refills, each in a buffer of its own', () => {
    const seen = new Set<string>();
    const outs: Uint8Array[] = [];
    for (let i = 0; i < 2000; i++) {
      const n = [16, 24, 32, 1, 64][i % 5]!;
      const r = randomBytes(n);
      expect(r.length).toBe(n);
      expect(r.buffer.byteLength).toBe(n);
      outs.push(r);
      if (n >= 16) {
        const hex = Buffer.from(r).toString('hex');
        expect(seen.has(hex)).toBe(false);
        seen.add(hex);
      }
    }
    // A caller wiping its key does not touch anyone else's.
    const before = Buffer.from(outs[1]!).toString('hex');
    outs[0]!.fill(0);
    expect(Buffer.from(outs[1]!).toString('hex')).toBe(before);
  });

  it('asks the platform once per 4 KiB, not once per call', () => {
    const real = crypto.getRandomValues.bind(crypto);
    let calls = 0;
    const spy = vi.spyOn(crypto, 'getRandomValues').mockImplementation(<T extends ArrayBufferView | null>(a: T) => {
      calls++;
      return real(a as never) as T;
    });
    try {
      for (let i = 0; i < 1000; i++) randomBytes(24);
    } finally {
      spy.mockRestore();
    }
    expect(calls).toBeGreaterThanOrEqual(5);
    expect(calls).toBeLessThanOrEqual(7);
  });

  it('has roughly uniform bytes from the pool too', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 3200; i++) for (const b of randomBytes(32)) counts[b]!++;
    expect(Math.min(...counts)).toBeGreaterThan(250);
    expect(Math.max(...counts)).toBeLessThan(560);
  });
});
