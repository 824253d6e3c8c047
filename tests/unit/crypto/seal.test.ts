import { hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { associatedData } from '../../../lib/crypto/ad';
import { open } from '../../../lib/crypto/aead';
import { boxPublicKey, generateBoxKeyPair, openSealed, sealTo, x25519SharedSecret } from '../../../lib/crypto/seal';
import { ascii, expectAppError, flip, hex, toHex } from './helpers';

describe('X25519 (RFC 7748)', () => {
  // §5.2, the two single-multiplication vectors (the second has a non-canonical u with the top bit set).
  const vectors: [string, string, string][] = [
    ['a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4',
      'e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c',
      'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552'],
    ['4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d',
      'e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493',
      '95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957'],
  ];
  for (const [i, [scalar, u, out]] of vectors.entries()) {
    it(`matches §5.2 vector ${i + 1}`, () => {
      expect(toHex(x25519SharedSecret(hex(scalar), hex(u))!)).toBe(out);
    });
  }

  it('matches the §5.2 iterated vector after 1 and 1,000 iterations', () => {
    let k = hex('09' + '00'.repeat(31));
    let u = hex('09' + '00'.repeat(31));
    for (let i = 1; i <= 1000; i++) {
      const next = x25519SharedSecret(k, u)!;
      u = k;
      k = next;
      if (i === 1) expect(toHex(k)).toBe('422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079');
    }
    expect(toHex(k)).toBe('684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51');
  }, 30_000);

  it('matches the §6.1 Alice and Bob exchange', () => {
    const alicePrivate = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const bobPrivate = hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
    const alicePublic = boxPublicKey(alicePrivate);
    const bobPublic = boxPublicKey(bobPrivate);
    expect(toHex(alicePublic)).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(toHex(bobPublic)).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    expect(toHex(x25519SharedSecret(alicePrivate, bobPublic)!)).toBe(shared);
    expect(toHex(x25519SharedSecret(bobPrivate, alicePublic)!)).toBe(shared);
  });

  // Low-order u coordinates (libsodium's blocklist): 0, 1, the two order-8 points, p - 1, p, p + 1.
  const lowOrder = [
    '00'.repeat(32),
    '01' + '00'.repeat(31),
    'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
    '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  ];

  it('returns null (no shared secret) for low-order public keys', () => {
    const { privateKey } = generateBoxKeyPair();
    for (const u of lowOrder) expect(x25519SharedSecret(privateKey, hex(u))).toBeNull();
  });

  describe('sealed boxes', () => {
    const ad = associatedData({ kind: 'share-key', id: 'share-1', container: 'user-bob' });
    const secret = ascii('a 32-byte share key, or anything');

    it('round-trips to the recipient and to no one else', () => {
      const bob = generateBoxKeyPair();
      const eve = generateBoxKeyPair();
      const sealed = sealTo(bob.publicKey, secret, ad);
      expect(sealed.length).toBe(2 + 32 + 2 + 24 + secret.length + 16);
      expect(openSealed(bob.privateKey, sealed, ad)).toEqual(secret);
      expectAppError(() => openSealed(eve.privateKey, sealed, ad), 'DECRYPT_FAILED');
    });

    it('derives the key as HKDF-SHA256(X25519(eph, recipient), salt = eph pub || recipient pub, "latchkey sealed box v1")', () => {
      const bob = generateBoxKeyPair();
      const sealed = sealTo(bob.publicKey, secret, ad);
      expect([sealed[0], sealed[1]]).toEqual([1, 1]);
      const ephemeralPublic = sealed.subarray(2, 34);
      const shared = x25519SharedSecret(bob.privateKey, ephemeralPublic)!;
      const salt = Buffer.concat([ephemeralPublic, bob.publicKey]);
      const key = new Uint8Array(hkdfSync('sha256', shared, salt, 'latchkey sealed box v1', 32));
      // The inner envelope authenticates the outer header in front of the caller's AD.
      const innerAd = new Uint8Array(2 + ad.length);
      innerAd.set([1, 1]);
      innerAd.set(ad, 2);
      expect(open(key, sealed.subarray(34), innerAd)).toEqual(secret);
      expectAppError(() => open(key, sealed.subarray(34), ad), 'DECRYPT_FAILED');
    });

    it('uses a fresh ephemeral key each time', () => {
      const bob = generateBoxKeyPair();
      const a = sealTo(bob.publicKey, secret, ad);
      const b = sealTo(bob.publicKey, secret, ad);
      expect(toHex(a.subarray(2, 34))).not.toBe(toHex(b.subarray(2, 34)));
    });

    it('refuses any changed byte, truncation and another AD', () => {
      const bob = generateBoxKeyPair();
      const sealed = sealTo(bob.publicKey, secret, ad);
      for (let i = 0; i < sealed.length; i++) expectAppError(() => openSealed(bob.privateKey, flip(sealed, i, i % 8), ad), 'DECRYPT_FAILED');
      for (let n = 0; n < sealed.length; n += 5) expectAppError(() => openSealed(bob.privateKey, sealed.subarray(0, n), ad), 'DECRYPT_FAILED');
      expectAppError(() => openSealed(bob.privateKey, sealed, associatedData({ kind: 'share-key', id: 'share-2', container: 'user-bob' })), 'DECRYPT_FAILED');
      expectAppError(() => openSealed(bob.privateKey, sealed, associatedData({ kind: 'item-key', id: 'share-1', container: 'user-bob' })), 'DECRYPT_FAILED');
    });

    it('refuses a box whose ephemeral key was replaced by a low-order point', () => {
      const bob = generateBoxKeyPair();
      const sealed = sealTo(bob.publicKey, secret, ad);
      for (const u of lowOrder) {
        const forged = Uint8Array.from(sealed);
        forged.set(hex(u), 2);
        expectAppError(() => openSealed(bob.privateKey, forged, ad), 'DECRYPT_FAILED');
      }
    });

    it('refuses a box re-targeted with another ephemeral key (the key depends on both public keys)', () => {
      const bob = generateBoxKeyPair();
      const sealed = sealTo(bob.publicKey, secret, ad);
      const forged = Uint8Array.from(sealed);
      forged.set(generateBoxKeyPair().publicKey, 2);
      expectAppError(() => openSealed(bob.privateKey, forged, ad), 'DECRYPT_FAILED');
    });

    it('will not seal to a low-order or malformed public key', () => {
      for (const u of lowOrder) expectAppError(() => sealTo(hex(u), secret, ad), 'BAD_INPUT');
      expectAppError(() => sealTo(new Uint8Array(31), secret, ad), 'BAD_INPUT');
      expectAppError(() => openSealed(new Uint8Array(31), sealTo(generateBoxKeyPair().publicKey, secret, ad), ad), 'BAD_INPUT');
    });
  });
});
