import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { associatedData } from '../../../lib/crypto/ad';
import { seal } from '../../../lib/crypto/aead';
import { fingerprint, generateIdentity, openIdentity, sealIdentity } from '../../../lib/crypto/identity';
import { generateKey } from '../../../lib/crypto/keys';
import { openSealed, sealTo } from '../../../lib/crypto/seal';
import { sign, verify } from '../../../lib/crypto/sign';
import { expectAppError, flip, seededBytes } from './helpers';

describe('generateIdentity', () => {
  it('makes a working X25519 pair and Ed25519 pair', () => {
    const id = generateIdentity();
    for (const k of [id.box.publicKey, id.box.privateKey, id.signing.publicKey, id.signing.privateKey]) expect(k.length).toBe(32);
    const ad = associatedData({ kind: 'share-key', id: 's1' });
    expect(openSealed(id.box.privateKey, sealTo(id.box.publicKey, seededBytes(1, 32), ad), ad)).toEqual(seededBytes(1, 32));
    expect(verify(id.signing.publicKey, seededBytes(2, 10), sign(id.signing.privateKey, seededBytes(2, 10)))).toBe(true);
  });
});

describe('fingerprint', () => {
  it('is 8 groups of 5 digits', () => {
    const id = generateIdentity();
    expect(fingerprint(id.box.publicKey, id.signing.publicKey)).toMatch(/^\d{5}( \d{5}){7}$/);
  });

  it('is SHA-256("latchkey fingerprint v1" || box key || signing key), first 20 bytes mod 10^40', () => {
    const box = seededBytes(10, 32);
    const signing = seededBytes(11, 32);
    const digest = createHash('sha256').update('latchkey fingerprint v1').update(box).update(signing).digest();
    const n = BigInt('0x' + digest.subarray(0, 20).toString('hex')) % 10n ** 40n;
    const expected = n.toString().padStart(40, '0').replace(/(\d{5})(?=\d)/g, '$1 ');
    expect(fingerprint(box, signing)).toBe(expected);
  });

  it('changes when either key changes, and when they are swapped', () => {
    const box = seededBytes(12, 32);
    const signing = seededBytes(13, 32);
    const base = fingerprint(box, signing);
    expect(fingerprint(box, signing)).toBe(base);
    expect(fingerprint(flip(box, 31, 7), signing)).not.toBe(base);
    expect(fingerprint(box, flip(signing, 0))).not.toBe(base);
    expect(fingerprint(signing, box)).not.toBe(base);
  });

  it('refuses keys that are not 32 bytes', () => {
    expectAppError(() => fingerprint(new Uint8Array(31), new Uint8Array(32)), 'BAD_INPUT');
    expectAppError(() => fingerprint(new Uint8Array(32), new Uint8Array(33)), 'BAD_INPUT');
  });
});

describe('sealIdentity / openIdentity', () => {
  it('round-trips the private halves and recomputes the public ones', () => {
    const userKey = generateKey();
    const id = generateIdentity();
    const sealed = sealIdentity(userKey, id, 'user-1');
    expect(openIdentity(userKey, sealed, 'user-1')).toEqual(id);
  });

  it('refuses another user id, another user key, or a changed byte', () => {
    const userKey = generateKey();
    const sealed = sealIdentity(userKey, generateIdentity(), 'user-1');
    expectAppError(() => openIdentity(userKey, sealed, 'user-2'), 'DECRYPT_FAILED');
    expectAppError(() => openIdentity(generateKey(), sealed, 'user-1'), 'DECRYPT_FAILED');
    for (let i = 0; i < sealed.length; i += 3) expectAppError(() => openIdentity(userKey, flip(sealed, i), 'user-1'), 'DECRYPT_FAILED');
  });

  it('refuses a ciphertext of another kind for the same user (e.g. the wrapped user key)', () => {
    const userKey = generateKey();
    const other = seal(userKey, new Uint8Array(65).fill(1), associatedData({ kind: 'user-key', id: 'user-1' }));
    expectAppError(() => openIdentity(userKey, other, 'user-1'), 'DECRYPT_FAILED');
  });

  it('refuses an authentic record in an unknown layout', () => {
    const userKey = generateKey();
    const ad = associatedData({ kind: 'private-keys', id: 'user-1' });
    const wrongVersion = new Uint8Array(65);
    wrongVersion[0] = 2;
    for (const pt of [new Uint8Array(64), new Uint8Array(66), wrongVersion]) {
      expectAppError(() => openIdentity(userKey, seal(userKey, pt, ad), 'user-1'), 'DECRYPT_FAILED');
    }
  });
});
