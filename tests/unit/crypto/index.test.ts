import { describe, expect, it } from 'vitest';
import * as crypto from '../../../lib/crypto';

describe('lib/crypto public API', () => {
  it('exports exactly the agreed names and none of the internals', () => {
    expect(Object.keys(crypto).sort()).toEqual([
      'AD_KINDS', 'ALG_X25519_HKDF_SHA256', 'ALG_XCHACHA20_POLY1305', 'AUTH_KEY_INFO', 'DEFAULT_KDF',
      'ENVELOPE_OVERHEAD', 'ENVELOPE_VERSION', 'KEY_BYTES', 'MIN_KDF', 'SEALED_VERSION', 'WRAP_KEY_INFO',
      'argon2id', 'argon2idReference', 'assertKdfParams', 'associatedData', 'boxPublicKey', 'concatBytes',
      'deriveAccountKeys', 'equalBytes', 'fingerprint', 'fromBase64Url', 'fromUtf8', 'generateBoxKeyPair',
      'generateIdentity', 'generateKey', 'generateSigningKeyPair', 'hkdfSha256', 'open', 'openIdentity',
      'openSealed', 'randomBytes', 'seal', 'sealIdentity', 'sealTo', 'sign', 'signingPublicKey', 'toBase64Url',
      'unwrapKey', 'utf8', 'verify', 'wrapKey',
    ]);
  });

  it('keeps the floor constants frozen', () => {
    expect(Object.isFrozen(crypto.MIN_KDF)).toBe(true);
    expect(Object.isFrozen(crypto.DEFAULT_KDF)).toBe(true);
  });

  it('works end to end: password → keys → vault entry → share to a person', async () => {
    const salt = crypto.randomBytes(16);
    const masterKey = await crypto.argon2id(crypto.utf8('correct horse battery staple'), salt, crypto.DEFAULT_KDF);
    const { wrapKey: accountWrapKey } = crypto.deriveAccountKeys(masterKey);
    const userKey = crypto.generateKey();
    const wrappedUserKey = crypto.wrapKey(accountWrapKey, userKey, crypto.associatedData({ kind: 'user-key', id: 'u1' }));
    const itemKey = crypto.generateKey();
    const itemKeyAd = crypto.associatedData({ kind: 'item-key', id: 'e1', container: 'u1' });
    const wrappedItemKey = crypto.wrapKey(userKey, itemKey, itemKeyAd);
    const detailsAd = crypto.associatedData({ kind: 'entry-details', id: 'e1', field: 'password', revision: 1 });
    const stored = crypto.toBase64Url(crypto.seal(itemKey, crypto.utf8('s3cret'), detailsAd));

    // Another device: same password, same salt.
    const again = crypto.deriveAccountKeys(await crypto.argon2id(crypto.utf8('correct horse battery staple'), salt, crypto.DEFAULT_KDF));
    const userKey2 = crypto.unwrapKey(again.wrapKey, wrappedUserKey, crypto.associatedData({ kind: 'user-key', id: 'u1' }));
    const itemKey2 = crypto.unwrapKey(userKey2, wrappedItemKey, itemKeyAd);
    expect(crypto.fromUtf8(crypto.open(itemKey2, crypto.fromBase64Url(stored), detailsAd))).toBe('s3cret');

    // Share the item key with Bob, signed by the granter.
    const alice = crypto.generateIdentity();
    const bob = crypto.generateIdentity();
    const shareAd = crypto.associatedData({ kind: 'share-key', id: 'share-1', container: 'bob' });
    const sealed = crypto.sealTo(bob.box.publicKey, itemKey, shareAd);
    const signature = crypto.sign(alice.signing.privateKey, sealed);
    expect(crypto.verify(alice.signing.publicKey, sealed, signature)).toBe(true);
    expect(crypto.openSealed(bob.box.privateKey, sealed, shareAd)).toEqual(itemKey);
  }, 60_000);
});
