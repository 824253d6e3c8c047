import { describe, expect, it } from 'vitest';
import { generateSigningKeyPair, sign, signingPublicKey, verify } from '../../../lib/crypto/sign';
import { expectAppError, flip, hex, toHex } from './helpers';

// RFC 8032 §7.1, TEST 1-3: secret key (seed), public key, message, signature.
const rfc8032: [string, string, string, string, string][] = [
  ['TEST 1', '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', '',
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'],
  ['TEST 2', '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', '72',
    '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00'],
  ['TEST 3', 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025', 'af82',
    '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a'],
];

describe('Ed25519 (RFC 8032)', () => {
  for (const [name, seed, publicKey, message, signature] of rfc8032) {
    it(`matches §7.1 ${name}`, () => {
      expect(toHex(signingPublicKey(hex(seed)))).toBe(publicKey);
      expect(toHex(sign(hex(seed), hex(message)))).toBe(signature);
      expect(verify(hex(publicKey), hex(message), hex(signature))).toBe(true);
    });

    it(`refuses ${name} with a changed message, signature or key`, () => {
      expect(verify(hex(publicKey), hex(message + '00'), hex(signature))).toBe(false);
      for (const i of [0, 31, 32, 63]) expect(verify(hex(publicKey), hex(message), flip(hex(signature), i))).toBe(false);
      expect(verify(flip(hex(publicKey), 0), hex(message), hex(signature))).toBe(false);
    });
  }

  it('signs and verifies with generated keys', () => {
    const { publicKey, privateKey } = generateSigningKeyPair();
    expect(publicKey.length).toBe(32);
    expect(privateKey.length).toBe(32);
    expect(signingPublicKey(privateKey)).toEqual(publicKey);
    const message = hex('0102030405');
    const signature = sign(privateKey, message);
    expect(verify(publicKey, message, signature)).toBe(true);
    expect(verify(generateSigningKeyPair().publicKey, message, signature)).toBe(false);
  });

  it('refuses a non-canonical S (S + L), which lax verifiers accept', () => {
    const [, , publicKey, message, signature] = rfc8032[0]!;
    const sig = hex(signature);
    const L = (1n << 252n) + 27742317777372353535851937790883648493n;
    let s = 0n;
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]!);
    s += L;
    for (let i = 32; i < 64; i++, s >>= 8n) sig[i] = Number(s & 0xffn);
    expect(verify(hex(publicKey), hex(message), sig)).toBe(false);
  });

  it('refuses small-order public keys, with which a signature can verify for any message', () => {
    // The identity point (y = 1) as the key, R = identity and S = 0 passes the cofactored equation.
    const identity = hex('01' + '00'.repeat(31));
    const forged = hex('01' + '00'.repeat(31) + '00'.repeat(32));
    expect(verify(identity, hex('616e79'), forged)).toBe(false);
    expect(verify(identity, hex('6f74686572'), forged)).toBe(false);
  });

  it('returns false for malformed input and never throws', () => {
    const { publicKey, privateKey } = generateSigningKeyPair();
    const message = hex('00');
    const signature = sign(privateKey, message);
    const junk: unknown[] = [undefined, null, 'text', 42, {}, new Uint8Array(0), new Uint8Array(31), new Uint8Array(65)];
    for (const j of junk) {
      expect(verify(j as Uint8Array, message, signature)).toBe(false);
      expect(verify(publicKey, j as Uint8Array, signature)).toBe(false);
      expect(verify(publicKey, message, j as Uint8Array)).toBe(false);
    }
    // A y coordinate that is not on the curve.
    expect(verify(hex('02' + '00'.repeat(31)), message, signature)).toBe(false);
    expect(verify(hex('ff'.repeat(32)), message, signature)).toBe(false);
  });

  it('refuses private keys that are not 32 bytes', () => {
    expectAppError(() => sign(new Uint8Array(64), hex('00')), 'BAD_INPUT');
    expectAppError(() => signingPublicKey(new Uint8Array(16)), 'BAD_INPUT');
  });
});
