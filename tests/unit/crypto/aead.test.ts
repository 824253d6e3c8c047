import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { describe, expect, it } from 'vitest';
import { associatedData, type AdParts } from '../../../lib/crypto/ad';
import { ENVELOPE_OVERHEAD, open, seal, sealWithNonce } from '../../../lib/crypto/aead';
import { ascii, expectAppError, flip, hex, seededBytes, toHex } from './helpers';

const key = seededBytes(1, 32);
const parts: AdParts = { kind: 'entry-details', id: 'entry-1', field: 'password', revision: 7, container: 'vault-u1' };
const ad = associatedData(parts);
const plaintext = ascii('hunter2, the password of the demo entry');

describe('seal / open', () => {
  it('round-trips, including empty and large plaintexts', () => {
    for (const pt of [new Uint8Array(0), hex('00'), plaintext, seededBytes(2, 100_000)]) {
      const envelope = seal(key, pt, ad);
      expect(envelope.length).toBe(pt.length + ENVELOPE_OVERHEAD);
      expect(Buffer.from(open(key, envelope, ad)).equals(Buffer.from(pt))).toBe(true);
    }
  });

  it('writes version 1, algorithm 1 and a fresh random nonce every time', () => {
    const a = seal(key, plaintext, ad);
    const b = seal(key, plaintext, ad);
    expect([a[0], a[1]]).toEqual([1, 1]);
    expect(toHex(a.subarray(2, 26))).not.toBe(toHex(b.subarray(2, 26)));
    expect(toHex(a.subarray(26))).not.toBe(toHex(b.subarray(26)));
  });

  it('does not leak the plaintext into the envelope', () => {
    const envelope = Buffer.from(seal(key, plaintext, ad));
    expect(envelope.includes(Buffer.from('hunter2'))).toBe(false);
  });

  it('refuses a change to any byte of the envelope: version, algorithm, nonce, ciphertext, tag', () => {
    const envelope = seal(key, plaintext, ad);
    for (let i = 0; i < envelope.length; i++) {
      for (const bit of [0, 7]) expectAppError(() => open(key, flip(envelope, i, bit), ad), 'DECRYPT_FAILED');
    }
  });

  it('refuses truncation at every length and appended bytes', () => {
    const envelope = seal(key, plaintext, ad);
    for (let n = 0; n < envelope.length; n++) expectAppError(() => open(key, envelope.subarray(0, n), ad), 'DECRYPT_FAILED');
    const longer = new Uint8Array(envelope.length + 1);
    longer.set(envelope);
    expectAppError(() => open(key, longer, ad), 'DECRYPT_FAILED');
  });

  it('refuses an unknown version or algorithm even when the rest is intact', () => {
    const envelope = seal(key, plaintext, ad);
    for (const [i, v] of [[0, 0], [0, 2], [0, 255], [1, 0], [1, 2]] as const) {
      const changed = Uint8Array.from(envelope);
      changed[i] = v;
      expectAppError(() => open(key, changed, ad), 'DECRYPT_FAILED');
    }
  });

  it('refuses the wrong key', () => {
    const envelope = seal(key, plaintext, ad);
    expectAppError(() => open(seededBytes(99, 32), envelope, ad), 'DECRYPT_FAILED');
    expectAppError(() => open(flip(key, 31, 7), envelope, ad), 'DECRYPT_FAILED');
  });

  it('refuses associated data that differs in any one part', () => {
    const envelope = seal(key, plaintext, ad);
    const swaps: AdParts[] = [
      { ...parts, kind: 'entry-overview' },
      { ...parts, kind: 'message-copy' },
      { ...parts, id: 'entry-2' },
      { ...parts, field: 'username' },
      { ...parts, revision: 6 },
      { ...parts, revision: 8 },
      { ...parts, container: 'share-9' },
    ];
    const { field: _f, ...noField } = parts;
    const { revision: _r, ...noRevision } = parts;
    const { container: _c, ...noContainer } = parts;
    for (const other of [...swaps, noField, noRevision, noContainer]) {
      expectAppError(() => open(key, envelope, associatedData(other)), 'DECRYPT_FAILED');
    }
    expectAppError(() => open(key, envelope, new Uint8Array(0)), 'DECRYPT_FAILED');
    expect(open(key, envelope, associatedData({ ...parts }))).toEqual(plaintext);
  });

  it('authenticates the header: the cipher sees version and algorithm in front of the caller AD', () => {
    const envelope = seal(key, plaintext, ad);
    const nonce = envelope.subarray(2, 26);
    const withHeader = new Uint8Array(2 + ad.length);
    withHeader.set([1, 1]);
    withHeader.set(ad, 2);
    // Independent check with noble: the tag is over 01 01 || AD, not over AD alone.
    expect(toHex(xchacha20poly1305(key, nonce, withHeader).decrypt(envelope.subarray(26)))).toBe(toHex(plaintext));
    expect(() => xchacha20poly1305(key, nonce, ad).decrypt(envelope.subarray(26))).toThrow();
  });

  it('answers garbage with DECRYPT_FAILED, never another error', () => {
    for (const junk of [undefined, null, 'envelope', 42, {}, [1, 1], new Uint8Array(41), new Uint8Array(200)]) {
      expectAppError(() => open(key, junk as unknown as Uint8Array, ad), 'DECRYPT_FAILED');
    }
  });

  it('refuses keys that are not 32 bytes and non-byte inputs with BAD_INPUT', () => {
    expectAppError(() => seal(new Uint8Array(16), plaintext, ad), 'BAD_INPUT');
    expectAppError(() => open(new Uint8Array(33), seal(key, plaintext, ad), ad), 'BAD_INPUT');
    expectAppError(() => seal(key, 'text' as unknown as Uint8Array, ad), 'BAD_INPUT');
    expectAppError(() => seal(key, plaintext, 'ad' as unknown as Uint8Array), 'BAD_INPUT');
  });
});

describe('sealWithNonce (internal, for the published vector)', () => {
  // draft-irtf-cfrg-xchacha-03 A.3.1 inputs.
  const vKey = hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
  const vNonce = hex('404142434445464748494a4b4c4d4e4f5051525354555657');
  const vAd = hex('50515253c0c1c2c3c4c5c6c7');
  const vPlain = ascii("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
  const vCiphertext =
    'bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb' +
    '731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452' +
    '2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9' +
    '21f9664c97637da9768812f615c68b13b52e';
  const vTag = 'c0875924c1c7987947deafd8780acf49';

  it('lays out header | nonce | draft ciphertext | tag over (header || AD)', () => {
    const envelope = sealWithNonce(vKey, vNonce, vPlain, vAd);
    expect(toHex(envelope.subarray(0, 2))).toBe('0101');
    expect(toHex(envelope.subarray(2, 26))).toBe(toHex(vNonce));
    // Same key stream as the draft: the ciphertext body is the vector's.
    expect(toHex(envelope.subarray(26, envelope.length - 16))).toBe(vCiphertext);
    // The tag covers the header too, so it is not the draft's tag but noble's over 01 01 || AD.
    const tag = toHex(envelope.subarray(envelope.length - 16));
    expect(tag).not.toBe(vTag);
    const nobleSealed = xchacha20poly1305(vKey, vNonce, hex('0101' + toHex(vAd))).encrypt(vPlain);
    expect(tag).toBe(toHex(nobleSealed.subarray(nobleSealed.length - 16)));
    expect(open(vKey, envelope, vAd)).toEqual(vPlain);
  });

  it('refuses a nonce that is not 24 bytes', () => {
    expectAppError(() => sealWithNonce(vKey, vNonce.subarray(0, 12), vPlain, vAd), 'BAD_INPUT');
  });
});
