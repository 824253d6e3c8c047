import { describe, expect, it } from 'vitest';
import { associatedData } from '../../../lib/crypto/ad';
import { seal } from '../../../lib/crypto/aead';
import { generateKey, unwrapKey, wrapKey } from '../../../lib/crypto/keys';
import { expectAppError, flip, toHex } from './helpers';

const itemKeyAd = associatedData({ kind: 'item-key', id: 'entry-1', container: 'vault-u1' });

describe('generateKey', () => {
  it('makes distinct 32-byte keys', () => {
    const keys = new Set(Array.from({ length: 50 }, () => toHex(generateKey())));
    expect(keys.size).toBe(50);
    for (const k of keys) expect(k.length).toBe(64);
  });
});

describe('wrapKey / unwrapKey', () => {
  it('round-trips a key', () => {
    const userKey = generateKey();
    const itemKey = generateKey();
    const wrapped = wrapKey(userKey, itemKey, itemKeyAd);
    expect(toHex(wrapped)).not.toContain(toHex(itemKey));
    expect(unwrapKey(userKey, wrapped, itemKeyAd)).toEqual(itemKey);
  });

  it('refuses the wrong wrapping key, another AD, or any changed byte', () => {
    const userKey = generateKey();
    const wrapped = wrapKey(userKey, generateKey(), itemKeyAd);
    expectAppError(() => unwrapKey(generateKey(), wrapped, itemKeyAd), 'DECRYPT_FAILED');
    expectAppError(() => unwrapKey(userKey, wrapped, associatedData({ kind: 'item-key', id: 'entry-2', container: 'vault-u1' })), 'DECRYPT_FAILED');
    expectAppError(() => unwrapKey(userKey, wrapped, associatedData({ kind: 'share-key', id: 'entry-1', container: 'vault-u1' })), 'DECRYPT_FAILED');
    expectAppError(() => unwrapKey(userKey, wrapped, associatedData({ kind: 'item-key', id: 'entry-1', container: 'share-1' })), 'DECRYPT_FAILED');
    for (let i = 0; i < wrapped.length; i++) expectAppError(() => unwrapKey(userKey, flip(wrapped, i), itemKeyAd), 'DECRYPT_FAILED');
  });

  it('refuses an authentic ciphertext that does not hold a 32-byte key', () => {
    const userKey = generateKey();
    for (const n of [0, 16, 31, 33, 64]) {
      const notAKey = seal(userKey, new Uint8Array(n).fill(7), itemKeyAd);
      expectAppError(() => unwrapKey(userKey, notAKey, itemKeyAd), 'DECRYPT_FAILED');
    }
  });

  it('only wraps 32-byte keys', () => {
    const userKey = generateKey();
    expectAppError(() => wrapKey(userKey, new Uint8Array(16), itemKeyAd), 'BAD_INPUT');
    expectAppError(() => wrapKey(userKey, new Uint8Array(33), itemKeyAd), 'BAD_INPUT');
    expectAppError(() => wrapKey(new Uint8Array(16), generateKey(), itemKeyAd), 'BAD_INPUT');
  });
});
