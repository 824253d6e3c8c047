// A person's identity: an X25519 key pair (to receive sealed keys) and an Ed25519 key pair (to
// sign what they grant). The fingerprint is what two people compare to verify each other; the
// private halves are stored on the server sealed with the user key.

import { sha256 } from '@noble/hashes/sha2.js';
import { AppError } from '../errors';
import { associatedData } from './ad';
import { open, seal } from './aead';
import { concatBytes, utf8 } from './encoding';
import { boxPublicKey, generateBoxKeyPair, type BoxKeyPair } from './seal';
import { generateSigningKeyPair, signingPublicKey, type SigningKeyPair } from './sign';
import { t } from '../i18n';

export interface Identity {
  box: BoxKeyPair;
  signing: SigningKeyPair;
}

const KEY_BYTES = 32;
const FINGERPRINT_DOMAIN = utf8('latchkey fingerprint v1');
const FINGERPRINT_DIGITS = 40;
const PRIVATE_KEYS_VERSION = 1;

export function generateIdentity(): Identity {
  return { box: generateBoxKeyPair(), signing: generateSigningKeyPair() };
}

/**
 * A short string two people can read to each other: SHA-256 over both public keys, the first
 * 20 bytes (160 bits) as a number, shown as 8 groups of 5 digits (about 133 bits).
 */
export function fingerprint(boxPublicKey: Uint8Array, signingPublicKey: Uint8Array): string {
  if (!(boxPublicKey instanceof Uint8Array) || boxPublicKey.length !== KEY_BYTES
    || !(signingPublicKey instanceof Uint8Array) || signingPublicKey.length !== KEY_BYTES) {
    throw new AppError('BAD_INPUT', t('errorPublicKeysLength'));
  }
  const digest = sha256(concatBytes(FINGERPRINT_DOMAIN, boxPublicKey, signingPublicKey));
  let n = 0n;
  for (let i = 0; i < 20; i++) n = (n << 8n) | BigInt(digest[i]!);
  const digits = (n % 10n ** BigInt(FINGERPRINT_DIGITS)).toString().padStart(FINGERPRINT_DIGITS, '0');
  const groups: string[] = [];
  for (let i = 0; i < FINGERPRINT_DIGITS; i += 5) groups.push(digits.slice(i, i + 5));
  return groups.join(' ');
}

function privateKeysAd(userId: string): Uint8Array {
  return associatedData({ kind: 'private-keys', id: userId });
}

/** Encrypt the private halves with the user key, bound to the user's id, for storage on the server. */
export function sealIdentity(userKey: Uint8Array, identity: Identity, userId: string): Uint8Array<ArrayBuffer> {
  const { box, signing } = identity;
  if (!(box?.privateKey instanceof Uint8Array) || box.privateKey.length !== KEY_BYTES
    || !(signing?.privateKey instanceof Uint8Array) || signing.privateKey.length !== KEY_BYTES) {
    throw new AppError('BAD_INPUT', t('errorBug', 'an identity needs two 32-byte private keys'));
  }
  const plaintext = concatBytes(Uint8Array.of(PRIVATE_KEYS_VERSION), box.privateKey, signing.privateKey);
  try {
    return seal(userKey, plaintext, privateKeysAd(userId));
  } finally {
    plaintext.fill(0);
  }
}

/**
 * Decrypt the private halves and recompute the public ones. Throws AppError DECRYPT_FAILED when
 * the record was altered, belongs to another user, or was sealed with another key.
 */
export function openIdentity(userKey: Uint8Array, sealed: Uint8Array, userId: string): Identity {
  const plaintext = open(userKey, sealed, privateKeysAd(userId));
  if (plaintext.length !== 1 + 2 * KEY_BYTES || plaintext[0] !== PRIVATE_KEYS_VERSION) {
    plaintext.fill(0);
    throw new AppError('DECRYPT_FAILED', t('errorPrivateKeysFormat'));
  }
  const boxPrivate = plaintext.slice(1, 1 + KEY_BYTES);
  const signingPrivate = plaintext.slice(1 + KEY_BYTES);
  plaintext.fill(0);
  return {
    box: { publicKey: boxPublicKey(boxPrivate), privateKey: boxPrivate },
    signing: { publicKey: signingPublicKey(signingPrivate), privateKey: signingPrivate },
  };
}
