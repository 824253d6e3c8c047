import { describe, expect, it } from 'vitest';
import { entryFieldsSchema, emptyEntryFields } from '../../../lib/model/entry';
import { MAX_FIELD_BYTES, tooLargeForField, utf8Length } from '../../../lib/model/limits';

const encoded = (s: string) => new TextEncoder().encode(s).length;

describe('utf8Length', () => {
  it('counts what TextEncoder writes, without encoding', () => {
    const samples = ['', 'a', 'hello world', 'é', 'ÅÆØ', '€', '日本語のパスワード', '😀', 'a😀b', '👩‍👩‍👧', '\u0000', '\u07ff', '\u0800', '\uffff', '\ud800', '\udc00', 'x\ud800y', '\udc00\ud800', '\ud83d', '\ud83d\ude00\ud83d'];
    for (const s of samples) expect(utf8Length(s), JSON.stringify(s)).toBe(encoded(s));
  });

  it('agrees with TextEncoder on random strings of every range', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 300; n++) {
      const units = Array.from({ length: next() % 40 }, () => [0x41, 0x7f, 0xe9, 0x7ff, 0x800, 0x4e2d, 0xd83d, 0xde00, 0xdbff, 0xdc00, 0xfffd][next() % 11]!);
      const s = String.fromCharCode(...units);
      expect(utf8Length(s)).toBe(encoded(s));
    }
  });
});

describe('field size check', () => {
  it('refuses a field over the limit and accepts one at it, in bytes not characters', () => {
    expect(tooLargeForField('é'.repeat(MAX_FIELD_BYTES / 2))).toBe(false);
    expect(tooLargeForField('é'.repeat(MAX_FIELD_BYTES / 2 + 1))).toBe(true);
    expect(tooLargeForField('😀'.repeat(MAX_FIELD_BYTES / 4))).toBe(false);
    expect(tooLargeForField('😀'.repeat(MAX_FIELD_BYTES / 4) + 'a')).toBe(true);
    const ok = entryFieldsSchema.safeParse({ ...emptyEntryFields(), notes: '€'.repeat(Math.floor(MAX_FIELD_BYTES / 3)) });
    const big = entryFieldsSchema.safeParse({ ...emptyEntryFields(), notes: '€'.repeat(Math.floor(MAX_FIELD_BYTES / 3) + 1) });
    expect(ok.success).toBe(true);
    expect(big.success).toBe(false);
  });
});
