import { describe, expect, it } from 'vitest';
import { generateIdentity, generateKey, toBase64Url } from '../../../lib/crypto';
import { fingerprint } from '../../../lib/crypto/identity';
import { AppError } from '../../../lib/errors';
import { fingerprintOf, fingerprintQrText, keyState, openPins, pin, sealPins } from '../../../lib/sharing/pins';

const me = generateIdentity();
const bob = generateIdentity();
const userKey = generateKey();
const keysOf = (id: ReturnType<typeof generateIdentity>) => ({ boxPublicKey: toBase64Url(id.box.publicKey), signingPublicKey: toBase64Url(id.signing.publicKey) });
const bobPerson = { userId: 'u-bob', username: 'bob', ...keysOf(bob) };

describe('fingerprints', () => {
  it('are the same on both sides: computed from the public keys alone, 8 groups of 5 digits', () => {
    const fp = fingerprintOf(keysOf(bob));
    expect(fp).toMatch(/^\d{5}( \d{5}){7}$/);
    expect(fp).toBe(fingerprint(bob.box.publicKey, bob.signing.publicKey));
    expect(fingerprintOf(keysOf(me))).not.toBe(fp);
  });

  it('change when either key changes', () => {
    const other = generateIdentity();
    expect(fingerprintOf({ ...keysOf(bob), boxPublicKey: toBase64Url(other.box.publicKey) })).not.toBe(fingerprintOf(keysOf(bob)));
    expect(fingerprintOf({ ...keysOf(bob), signingPublicKey: toBase64Url(other.signing.publicKey) })).not.toBe(fingerprintOf(keysOf(bob)));
  });

  it('go into a QR code with the username and digits only', () => {
    expect(fingerprintQrText('bob', '12345 67890')).toBe('latchkey-fingerprint:1:bob:1234567890');
  });
});

describe('pinning', () => {
  it('round-trips signed and encrypted, and says whether the reported keys are the pinned ones', () => {
    const pinned = pin(bobPerson, 1000);
    const sealed = sealPins(userKey, me.signing.privateKey, pinned);
    const opened = openPins(userKey, me.signing.publicKey, 'u-bob', sealed);
    expect(opened).toEqual(pinned);
    expect(keyState(undefined, keysOf(bob))).toBe('new');
    expect(keyState(opened, keysOf(bob))).toBe('same');
    const changed = generateIdentity();
    expect(keyState(opened, { ...keysOf(bob), boxPublicKey: toBase64Url(changed.box.publicKey) })).toBe('changed');
    expect(keyState(opened, { ...keysOf(bob), signingPublicKey: toBase64Url(changed.signing.publicKey) })).toBe('changed');
  });

  it('refuses a record moved to another person, altered, or signed by someone else', () => {
    const sealed = sealPins(userKey, me.signing.privateKey, pin(bobPerson, 1000));
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as AppError).code;
      }
      return 'opened';
    };
    expect(code(() => openPins(userKey, me.signing.publicKey, 'u-eve', sealed))).toBe('DECRYPT_FAILED');
    const altered = sealed.slice();
    altered[altered.length - 3]! ^= 1;
    expect(code(() => openPins(userKey, me.signing.publicKey, 'u-bob', altered))).toBe('DECRYPT_FAILED');
    // Sealed with my user key but signed by another identity: the signature check refuses it.
    const other = generateIdentity();
    const foreign = sealPins(userKey, other.signing.privateKey, pin(bobPerson, 1000));
    expect(code(() => openPins(userKey, me.signing.publicKey, 'u-bob', foreign))).toBe('DECRYPT_FAILED');
    expect(code(() => openPins(userKey, other.signing.publicKey, 'u-bob', foreign))).toBe('opened');
  });

  it('refuses keys that are not 32 bytes before pinning them', () => {
    expect(() => pin({ ...bobPerson, boxPublicKey: 'AAAA' }, 1)).toThrow(AppError);
  });
});
