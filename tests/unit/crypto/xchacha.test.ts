// The cipher under aead.ts is @noble/ciphers' XChaCha20-Poly1305. It is checked here against the
// draft's published vectors and against a second implementation: OpenSSL's ChaCha20-Poly1305 (via
// Node) keyed with an HChaCha20 subkey computed by the small reference below.
import { createCipheriv } from 'node:crypto';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { describe, expect, it } from 'vitest';
import { ascii, flip, hex, seededBytes, toHex } from './helpers';

/** HChaCha20 written straight from draft-irtf-cfrg-xchacha-03 §2.2, for the cross-check only. */
function hchacha20(key: Uint8Array, nonce16: Uint8Array): Uint8Array {
  const word = (b: Uint8Array, i: number) => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
  const s = new Uint32Array(16);
  s.set([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]);
  for (let i = 0; i < 8; i++) s[4 + i] = word(key, 4 * i);
  for (let i = 0; i < 4; i++) s[12 + i] = word(nonce16, 4 * i);
  const rotl = (v: number, n: number) => ((v << n) | (v >>> (32 - n))) >>> 0;
  const qr = (a: number, b: number, c: number, d: number) => {
    s[a] = (s[a]! + s[b]!) >>> 0; s[d] = rotl(s[d]! ^ s[a]!, 16);
    s[c] = (s[c]! + s[d]!) >>> 0; s[b] = rotl(s[b]! ^ s[c]!, 12);
    s[a] = (s[a]! + s[b]!) >>> 0; s[d] = rotl(s[d]! ^ s[a]!, 8);
    s[c] = (s[c]! + s[d]!) >>> 0; s[b] = rotl(s[b]! ^ s[c]!, 7);
  };
  for (let round = 0; round < 10; round++) {
    qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15);
    qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14);
  }
  const out = new Uint8Array(32);
  [0, 1, 2, 3, 12, 13, 14, 15].forEach((w, i) => new DataView(out.buffer).setUint32(4 * i, s[w]!, true));
  return out;
}

describe('HChaCha20 reference (for the cross-check)', () => {
  it('matches draft-irtf-cfrg-xchacha-03 §2.2.1', () => {
    const key = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    const nonce = hex('000000090000004a0000000031415927');
    expect(toHex(hchacha20(key, nonce))).toBe('82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc');
  });
});

describe('XChaCha20-Poly1305 (@noble/ciphers)', () => {
  // draft-irtf-cfrg-xchacha-03, appendix A.3.1.
  const key = hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
  const nonce = hex('404142434445464748494a4b4c4d4e4f5051525354555657');
  const ad = hex('50515253c0c1c2c3c4c5c6c7');
  const plaintext = ascii("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
  const ciphertext =
    'bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb' +
    '731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452' +
    '2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9' +
    '21f9664c97637da9768812f615c68b13b52e';
  const tag = 'c0875924c1c7987947deafd8780acf49';

  it('matches the draft A.3.1 vector', () => {
    expect(toHex(xchacha20poly1305(key, nonce, ad).encrypt(plaintext))).toBe(ciphertext + tag);
  });

  it('opens the A.3.1 vector and refuses it with any bit changed', () => {
    const sealed = hex(ciphertext + tag);
    expect(xchacha20poly1305(key, nonce, ad).decrypt(sealed)).toEqual(plaintext);
    for (let i = 0; i < sealed.length; i += 7) expect(() => xchacha20poly1305(key, nonce, ad).decrypt(flip(sealed, i, i % 8))).toThrow();
    expect(() => xchacha20poly1305(key, nonce, flip(ad, 0)).decrypt(sealed)).toThrow();
    expect(() => xchacha20poly1305(flip(key, 0), nonce, ad).decrypt(sealed)).toThrow();
  });

  it('agrees with OpenSSL ChaCha20-Poly1305 keyed with the HChaCha20 subkey', () => {
    for (const len of [0, 1, 15, 16, 17, 63, 64, 65, 200, 1000, 4096 + 3]) {
      const k = seededBytes(len + 7, 32);
      const n = seededBytes(len + 8, 24);
      const a = seededBytes(len + 9, len % 33);
      const pt = seededBytes(len + 10, len);
      const nonce12 = new Uint8Array(12);
      nonce12.set(n.subarray(16), 4);
      const cipher = createCipheriv('chacha20-poly1305', hchacha20(k, n.subarray(0, 16)), nonce12, { authTagLength: 16 });
      cipher.setAAD(a, { plaintextLength: pt.length });
      const expected = Buffer.concat([cipher.update(pt), cipher.final(), cipher.getAuthTag()]);
      expect(toHex(xchacha20poly1305(k, n, a).encrypt(pt))).toBe(expected.toString('hex'));
    }
  });
});
