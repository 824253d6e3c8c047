// Sealed boxes for sharing: encrypt to a person's X25519 public key so only their private key
// opens it. Layout: version (1) | algorithm (1 = X25519 + HKDF-SHA256 + the aead.ts envelope) |
// ephemeral public key (32) | aead envelope. The key is derived from the shared secret with both
// public keys in the HKDF salt, so the box is bound to this sender key and this recipient.

import { x25519 } from '@noble/curves/ed25519.js';
import { AppError } from '../errors';
import { open, seal } from './aead';
import { concatBytes } from './encoding';
import { hkdfSha256 } from './kdf';
import { randomBytes } from './random';
import { t } from '../i18n';

export const SEALED_VERSION = 1;
export const ALG_X25519_HKDF_SHA256 = 1;

const HEADER_BYTES = 2;
const POINT_BYTES = 32;
const HKDF_INFO = 'latchkey sealed box v1';
/** Smallest aead.ts envelope: header, nonce and tag around an empty plaintext. */
const MIN_ENVELOPE_BYTES = 2 + 24 + 16;

export interface BoxKeyPair {
  publicKey: Uint8Array<ArrayBuffer>;
  privateKey: Uint8Array<ArrayBuffer>;
}

export function generateBoxKeyPair(): BoxKeyPair {
  const privateKey = randomBytes(POINT_BYTES);
  return { publicKey: x25519.getPublicKey(privateKey), privateKey };
}

/** The public half of a 32-byte X25519 private key. */
export function boxPublicKey(privateKey: Uint8Array): Uint8Array<ArrayBuffer> {
  checkPrivateKey(privateKey);
  return x25519.getPublicKey(privateKey);
}

function decryptFailed(): AppError {
  return new AppError(
    'DECRYPT_FAILED',
    t('errorDecryptShared'),
  );
}

function checkPrivateKey(privateKey: unknown): asserts privateKey is Uint8Array {
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== POINT_BYTES) {
    throw new AppError('BAD_INPUT', t('errorBug', 'an X25519 private key must be 32 bytes'));
  }
}

function boxKey(sharedSecret: Uint8Array, ephemeralPublic: Uint8Array, recipientPublic: Uint8Array): Uint8Array<ArrayBuffer> {
  return hkdfSha256(sharedSecret, concatBytes(ephemeralPublic, recipientPublic), HKDF_INFO, 32);
}

/**
 * @internal Not exported from index.ts. X25519 (RFC 7748) returning the 32-byte shared secret,
 * or null for a low-order public key (noble refuses those before running the ladder; the
 * all-zero check is the RFC 7748 §6.1 one, kept in case a dependency ever stops refusing them).
 */
export function x25519SharedSecret(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array<ArrayBuffer> | null {
  let shared: Uint8Array<ArrayBuffer>;
  try {
    shared = x25519.getSharedSecret(privateKey, publicKey);
  } catch {
    return null;
  }
  if (isAllZero(shared)) return null;
  return shared;
}

function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (let i = 0; i < bytes.length; i++) acc |= bytes[i]!;
  return acc === 0;
}

function header(): Uint8Array<ArrayBuffer> {
  return Uint8Array.of(SEALED_VERSION, ALG_X25519_HKDF_SHA256);
}

/** Encrypt `plaintext` so that only the holder of the private half of `recipientPublicKey` can open it. */
export function sealTo(recipientPublicKey: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array<ArrayBuffer> {
  if (!(recipientPublicKey instanceof Uint8Array) || recipientPublicKey.length !== POINT_BYTES) {
    throw new AppError('BAD_INPUT', t('errorRecipientKeyLength'));
  }
  if (!(ad instanceof Uint8Array)) {
    throw new AppError('BAD_INPUT', t('errorBug', 'the associated data must be bytes'));
  }
  const ephemeralPrivate = randomBytes(POINT_BYTES);
  const ephemeralPublic = x25519.getPublicKey(ephemeralPrivate);
  const shared = x25519SharedSecret(ephemeralPrivate, recipientPublicKey);
  ephemeralPrivate.fill(0);
  if (shared === null) {
    throw new AppError('BAD_INPUT', t('errorRecipientKeyLowOrder'));
  }
  const key = boxKey(shared, ephemeralPublic, recipientPublicKey);
  shared.fill(0);
  const head = header();
  const envelope = seal(key, plaintext, concatBytes(head, ad));
  key.fill(0);
  return concatBytes(head, ephemeralPublic, envelope);
}

/** Open a box made by sealTo(). Throws AppError DECRYPT_FAILED on any change, wrong key or wrong `ad`. */
export function openSealed(recipientPrivateKey: Uint8Array, sealed: Uint8Array, ad: Uint8Array): Uint8Array<ArrayBuffer> {
  checkPrivateKey(recipientPrivateKey);
  if (!(ad instanceof Uint8Array)) {
    throw new AppError('BAD_INPUT', t('errorBug', 'the associated data must be bytes'));
  }
  if (!(sealed instanceof Uint8Array) || sealed.length < HEADER_BYTES + POINT_BYTES + MIN_ENVELOPE_BYTES) throw decryptFailed();
  if (sealed[0] !== SEALED_VERSION || sealed[1] !== ALG_X25519_HKDF_SHA256) throw decryptFailed();
  const ephemeralPublic = sealed.subarray(HEADER_BYTES, HEADER_BYTES + POINT_BYTES);
  const shared = x25519SharedSecret(recipientPrivateKey, ephemeralPublic);
  if (shared === null) throw decryptFailed();
  const key = boxKey(shared, ephemeralPublic, x25519.getPublicKey(recipientPrivateKey));
  shared.fill(0);
  try {
    return open(key, sealed.subarray(HEADER_BYTES + POINT_BYTES), concatBytes(sealed.subarray(0, HEADER_BYTES), ad));
  } catch (e) {
    if (e instanceof AppError && e.code === 'DECRYPT_FAILED') throw decryptFailed();
    throw e;
  } finally {
    key.fill(0);
  }
}
