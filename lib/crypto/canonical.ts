// Canonical bytes of a signed statement, so that a signature covers exactly one meaning.
// Every value is typed and length-prefixed: 0x00 null | 0x01 text (u32 length + UTF-8) |
// 0x02 whole number (u64, big-endian) | 0x03 bytes (u32 length + bytes) | 0x04 list (u32 count +
// values). A statement is the list [domain, version, kind, ...fields]; two different statements
// never share their bytes, and no JSON or key order is involved.

import { AppError } from '../errors';
import { t } from '../i18n';
import { concatBytes, utf8 } from './encoding';

export type CanonicalValue = string | number | Uint8Array | null | readonly CanonicalValue[];

const STATEMENT_DOMAIN = 'latchkey signed statement';

function u32(n: number): Uint8Array {
  return Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

function u64(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new AppError('BAD_INPUT', t('errorBug', 'a signed number must be a whole number of 0 or more'));
  }
  const hi = Math.floor(n / 0x100000000);
  return concatBytes(u32(hi), u32(n >>> 0));
}

function encodeInto(value: CanonicalValue, out: Uint8Array[]): void {
  if (value === null) {
    out.push(Uint8Array.of(0));
  } else if (typeof value === 'string') {
    if (!value.isWellFormed()) throw new AppError('BAD_INPUT', t('errorBug', 'signed text must be well-formed Unicode'));
    const bytes = utf8(value);
    out.push(Uint8Array.of(1), u32(bytes.length), bytes);
  } else if (typeof value === 'number') {
    out.push(Uint8Array.of(2), u64(value));
  } else if (value instanceof Uint8Array) {
    out.push(Uint8Array.of(3), u32(value.length), value);
  } else {
    out.push(Uint8Array.of(4), u32(value.length));
    for (const v of value) encodeInto(v, out);
  }
}

export function canonicalBytes(value: CanonicalValue): Uint8Array<ArrayBuffer> {
  const out: Uint8Array[] = [];
  encodeInto(value, out);
  return concatBytes(...out);
}

/** The bytes signed for a statement of `kind` (its own tag, as every ciphertext kind has one). */
export function statementBytes(kind: string, version: number, fields: readonly CanonicalValue[]): Uint8Array<ArrayBuffer> {
  return canonicalBytes([STATEMENT_DOMAIN, version, kind, ...fields]);
}
