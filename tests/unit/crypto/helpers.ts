// Shared test helpers for the crypto specs (not a spec itself).

import { expect } from 'vitest';
import { AppError, type ErrorCode } from '../../../lib/errors';

export function hex(s: string): Uint8Array<ArrayBuffer> {
  const clean = s.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) throw new Error(`bad hex in test: ${s}`);
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

export function ascii(s: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(Buffer.from(s, 'latin1'));
}

/** Assert that `fn` throws an AppError with `code` (and not any other error). */
export function expectAppError(fn: () => unknown, code: ErrorCode): AppError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, `expected AppError ${code}`).toBeInstanceOf(AppError);
  expect((thrown as AppError).code).toBe(code);
  expect((thrown as AppError).message.length).toBeGreaterThan(20);
  return thrown as AppError;
}

export async function expectAppErrorAsync(p: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  let thrown: unknown;
  try {
    await p;
  } catch (e) {
    thrown = e;
  }
  expect(thrown, `expected AppError ${code}`).toBeInstanceOf(AppError);
  expect((thrown as AppError).code).toBe(code);
  return thrown as AppError;
}

/** A copy of `b` with bit `bit` of byte `i` flipped. */
export function flip(b: Uint8Array, i: number, bit = 0): Uint8Array<ArrayBuffer> {
  const c = Uint8Array.from(b);
  c[i] = c[i]! ^ (1 << bit);
  return c;
}

/** Deterministic pseudo-random bytes for reproducible cross-checks. */
export function seededBytes(seed: number, n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
