// Bytes ⇄ text at the storage and API edges: base64url (RFC 4648 §5, no padding) and UTF-8.
// Inside lib/crypto everything stays Uint8Array.

import { AppError } from '../errors';
import { t } from '../i18n';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ENCODE = new Uint8Array(64);
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  ENCODE[i] = ALPHABET.charCodeAt(i);
  DECODE[ALPHABET.charCodeAt(i)] = i;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function badBase64(): AppError {
  return new AppError('BAD_INPUT', t('errorNotBase64'));
}

/** Unpadded base64url. */
export function toBase64Url(bytes: Uint8Array): string {
  const n = bytes.length;
  // ASCII codes first, then one native decode: much faster than growing a string.
  const out = new Uint8Array(Math.ceil((n * 4) / 3));
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = ENCODE[v >>> 18]!;
    out[o++] = ENCODE[(v >>> 12) & 63]!;
    out[o++] = ENCODE[(v >>> 6) & 63]!;
    out[o++] = ENCODE[v & 63]!;
  }
  if (n - i === 1) {
    const v = bytes[i]!;
    out[o++] = ENCODE[v >>> 2]!;
    out[o++] = ENCODE[(v & 3) << 4]!;
  } else if (n - i === 2) {
    const v = (bytes[i]! << 8) | bytes[i + 1]!;
    out[o++] = ENCODE[v >>> 10]!;
    out[o++] = ENCODE[(v >>> 4) & 63]!;
    out[o++] = ENCODE[(v & 15) << 2]!;
  }
  return decoder.decode(out);
}

/** The 6-bit value of the character at `i`, or -1 when it is not in the alphabet. */
function sextet(str: string, i: number): number {
  const c = str.charCodeAt(i);
  return c < 128 ? DECODE[c]! : -1;
}

/**
 * Strict unpadded base64url: only the url-safe alphabet, no padding, no whitespace, and the
 * unused low bits of the last character must be zero, so each byte string has one encoding.
 * Throws AppError BAD_INPUT otherwise.
 */
export function fromBase64Url(str: string): Uint8Array<ArrayBuffer> {
  if (typeof str !== 'string' || str.length % 4 === 1) throw badBase64();
  const len = str.length;
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let o = 0;
  let i = 0;
  let invalid = 0;
  for (; i + 3 < len; i += 4) {
    const a = sextet(str, i), b = sextet(str, i + 1), c = sextet(str, i + 2), d = sextet(str, i + 3);
    invalid |= a | b | c | d;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >>> 16;
    out[o++] = (v >>> 8) & 0xff;
    out[o++] = v & 0xff;
  }
  if (len - i === 2) {
    const a = sextet(str, i), b = sextet(str, i + 1);
    invalid |= a | b | -(b & 15);
    out[o++] = (a << 2) | (b >>> 4);
  } else if (len - i === 3) {
    const a = sextet(str, i), b = sextet(str, i + 1), c = sextet(str, i + 2);
    invalid |= a | b | c | -(c & 3);
    out[o++] = (a << 2) | (b >>> 4);
    out[o++] = ((b & 15) << 4) | (c >>> 2);
  }
  if (invalid < 0) throw badBase64();
  return out;
}

/** UTF-8 bytes of a string (WHATWG TextEncoder: a lone surrogate becomes U+FFFD). */
export function utf8(str: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(str);
}

/** Decode UTF-8; invalid sequences throw AppError BAD_INPUT instead of becoming U+FFFD. */
export function fromUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch (e) {
    throw new AppError('BAD_INPUT', t('errorNotUtf8'), { cause: e });
  }
}

export function concatBytes(...arrays: Uint8Array[]): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const a of arrays) length += a.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}

/**
 * Byte equality whose running time depends only on the lengths, not on where the first
 * difference is (lengths are not treated as secret).
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
