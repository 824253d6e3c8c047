// Keyed fingerprints of passwords, so the health view can tell reused passwords apart without
// comparing (or keeping) the passwords themselves: HMAC-SHA-256 under a key derived from the
// vault's user key. Without that key a fingerprint cannot be tested against a guess.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from './encoding';
import { hkdfSha256 } from './kdf';

export const FINGERPRINT_KEY_INFO = 'latchkey password fingerprint v1';
const NO_SALT = new Uint8Array(32);

/** The fingerprint key of a vault: its own HKDF label, so it is never the key of anything else. */
export function deriveFingerprintKey(userKey: Uint8Array): Uint8Array<ArrayBuffer> {
  return hkdfSha256(userKey, NO_SALT, FINGERPRINT_KEY_INFO, 32);
}

export function passwordFingerprint(fingerprintKey: Uint8Array, password: string): Uint8Array {
  return hmac(sha256, fingerprintKey, utf8(password));
}
