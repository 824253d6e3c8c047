import { describe, expect, it } from 'vitest';
import { canonicalBytes, statementBytes } from '../../../lib/crypto/canonical';
import { equalBytes } from '../../../lib/crypto';
import { expectAppError } from './helpers';

const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('canonical statement bytes', () => {
  it('type and length-prefix every value', () => {
    expect(hexOf(canonicalBytes(null))).toBe('00');
    expect(hexOf(canonicalBytes('ab'))).toBe('01000000026162');
    expect(hexOf(canonicalBytes(258))).toBe('020000000000000102');
    expect(hexOf(canonicalBytes(Uint8Array.of(9)))).toBe('030000000109');
    expect(hexOf(canonicalBytes([1, null]))).toBe('0400000002' + '020000000000000001' + '00');
    expect(hexOf(canonicalBytes(2 ** 40))).toBe('020000010000000000');
  });

  it('never gives two different values the same bytes', () => {
    const pairs: [Parameters<typeof canonicalBytes>[0], Parameters<typeof canonicalBytes>[0]][] = [
      [['ab', 'c'], ['a', 'bc']],
      [null, ''],
      [1, '1'],
      ['a', Uint8Array.of(0x61)],
      [[['a'], 'b'], [['a', 'b']]],
      [[], null],
    ];
    for (const [a, b] of pairs) expect(equalBytes(canonicalBytes(a), canonicalBytes(b))).toBe(false);
  });

  it('tags a statement with its kind and version', () => {
    expect(equalBytes(statementBytes('share-roster', 1, ['x']), statementBytes('share-grant', 1, ['x']))).toBe(false);
    expect(equalBytes(statementBytes('share-roster', 1, ['x']), statementBytes('share-roster', 2, ['x']))).toBe(false);
  });

  it('refuses numbers that are not whole and 0 or more, and ill-formed text', () => {
    expectAppError(() => canonicalBytes(-1), 'BAD_INPUT');
    expectAppError(() => canonicalBytes(1.5), 'BAD_INPUT');
    expectAppError(() => canonicalBytes(2 ** 53), 'BAD_INPUT');
    expectAppError(() => canonicalBytes('\ud800'), 'BAD_INPUT');
  });
});
