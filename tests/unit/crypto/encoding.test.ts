import { describe, expect, it } from 'vitest';
import { concatBytes, equalBytes, fromBase64Url, fromUtf8, toBase64Url, utf8 } from '../../../lib/crypto/encoding';
import { ascii, expectAppError, hex, seededBytes } from './helpers';

describe('base64url', () => {
  // RFC 4648 §10, in the url-safe alphabet without padding.
  const rfc4648: [string, string][] = [
    ['', ''], ['f', 'Zg'], ['fo', 'Zm8'], ['foo', 'Zm9v'], ['foob', 'Zm9vYg'], ['fooba', 'Zm9vYmE'], ['foobar', 'Zm9vYmFy'],
  ];
  for (const [plain, encoded] of rfc4648) {
    it(`encodes and decodes the RFC 4648 vector "${plain}"`, () => {
      expect(toBase64Url(ascii(plain))).toBe(encoded);
      expect(fromBase64Url(encoded)).toEqual(ascii(plain));
    });
  }

  it('uses - and _ instead of + and /', () => {
    expect(toBase64Url(hex('fbff'))).toBe('-_8');
    expect(toBase64Url(hex('fbefbe'))).toBe('----');
    expect(toBase64Url(hex('ffffff'))).toBe('____');
  });

  it("agrees with Node's base64url for every length 0..200 and round-trips", () => {
    for (let n = 0; n <= 200; n++) {
      const bytes = seededBytes(n + 1, n);
      const encoded = toBase64Url(bytes);
      expect(encoded).toBe(Buffer.from(bytes).toString('base64url'));
      expect(fromBase64Url(encoded)).toEqual(bytes);
    }
  });

  it('round-trips a large buffer', () => {
    const bytes = seededBytes(99, 300_001);
    const encoded = toBase64Url(bytes);
    expect(encoded).toBe(Buffer.from(bytes).toString('base64url'));
    expect(Buffer.from(fromBase64Url(encoded)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('refuses padding, other alphabets, whitespace, impossible lengths and non-canonical tails', () => {
    for (const bad of ['Zg==', 'Zm8=', 'Zm9v+A', 'Zm9v/A', 'Zm9v YQ', 'Zm9v\nYQ', 'A', 'Zm9vY', 'Zh', 'Zm9', 'Zm-', 'é', 'Zm9v\u0000']) {
      expectAppError(() => fromBase64Url(bad), 'BAD_INPUT');
    }
    expectAppError(() => fromBase64Url(undefined as unknown as string), 'BAD_INPUT');
    expectAppError(() => fromBase64Url(42 as unknown as string), 'BAD_INPUT');
  });
});

describe('UTF-8', () => {
  it('round-trips text outside ASCII', () => {
    for (const s of ['', 'plain', 'pässwörd', '密码', '🔑 key', '\u{10FFFF}', '\uFEFFleading BOM']) {
      expect(fromUtf8(utf8(s))).toBe(s);
    }
    expect(utf8('é')).toEqual(hex('c3a9'));
    expect(utf8('🔑')).toEqual(hex('f09f9491'));
  });

  it('refuses invalid UTF-8 instead of inventing U+FFFD', () => {
    for (const bad of ['ff', 'c0 80', 'c3', 'ed a0 80', 'f4 90 80 80', 'e2 28 a1']) {
      expectAppError(() => fromUtf8(hex(bad)), 'BAD_INPUT');
    }
  });
});

describe('concatBytes', () => {
  it('joins in order, including empty parts and subarrays', () => {
    const backing = hex('0001020304');
    expect(concatBytes(hex('aa'), new Uint8Array(0), backing.subarray(2, 4), hex('bbcc'))).toEqual(hex('aa0203bbcc'));
    expect(concatBytes()).toEqual(new Uint8Array(0));
  });

  it('returns a copy, not a view', () => {
    const a = hex('01');
    const joined = concatBytes(a);
    a[0] = 9;
    expect(joined).toEqual(hex('01'));
  });
});

describe('equalBytes', () => {
  it('compares contents and lengths', () => {
    expect(equalBytes(hex('010203'), hex('010203'))).toBe(true);
    expect(equalBytes(new Uint8Array(0), new Uint8Array(0))).toBe(true);
    expect(equalBytes(hex('010203'), hex('010204'))).toBe(false);
    expect(equalBytes(hex('810203'), hex('010203'))).toBe(false);
    expect(equalBytes(hex('0102'), hex('010203'))).toBe(false);
    expect(equalBytes(hex('010203'), hex('0102'))).toBe(false);
  });
});
