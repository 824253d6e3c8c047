// Authenticated encryption envelopes: version (1 byte) | algorithm (1 byte) | nonce (24 bytes) |
// ciphertext | tag (16 bytes). Algorithm 1 is XChaCha20-Poly1305 with a random nonce. The cipher
// authenticates the two header bytes followed by the caller's associated data, so a changed
// version or algorithm fails authentication instead of being trusted.

import { AppError } from '../errors';
import { randomBytes } from './random';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { concatBytes } from './encoding';
import { t } from '../i18n';

export const ENVELOPE_VERSION = 1;
export const ALG_XCHACHA20_POLY1305 = 1;

const HEADER_BYTES = 2;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** Header + nonce + tag: the size of an envelope around an empty plaintext. */
export const ENVELOPE_OVERHEAD = HEADER_BYTES + NONCE_BYTES + TAG_BYTES;

function decryptFailed(): AppError {
  return new AppError(
    'DECRYPT_FAILED',
    t('errorDecryptItem'),
  );
}

function checkKey(key: unknown): asserts key is Uint8Array {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) {
    throw new AppError('BAD_INPUT', t('errorBug', 'an encryption key must be 32 bytes'));
  }
}

function checkBytes(name: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new AppError('BAD_INPUT', t('errorBug', `the ${name} must be bytes`));
  }
}

/** The only header this version writes or reads; the cipher authenticates it ahead of the caller's AD. */
const HEADER_V1_XCHACHA = Uint8Array.of(ENVELOPE_VERSION, ALG_XCHACHA20_POLY1305);

/** Encrypt `plaintext` under `key`, bound to `ad` (see ad.ts), with a fresh random nonce. */
export function seal(key: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array<ArrayBuffer> {
  return sealWithNonce(key, randomBytes(NONCE_BYTES), plaintext, ad);
}

/**
 * @internal Not exported from index.ts: the nonce must be random and never reused, which seal()
 * guarantees. Exists so the tests can check the cipher against a published vector.
 */
export function sealWithNonce(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array<ArrayBuffer> {
  checkKey(key);
  checkBytes('plaintext', plaintext);
  checkBytes('associated data', ad);
  if (!(nonce instanceof Uint8Array) || nonce.length !== NONCE_BYTES) {
    throw new AppError('BAD_INPUT', t('errorBug', 'a nonce must be 24 bytes'));
  }
  const sealed = xchacha20poly1305(key, nonce, concatBytes(HEADER_V1_XCHACHA, ad)).encrypt(plaintext);
  const envelope = new Uint8Array(ENVELOPE_OVERHEAD + plaintext.length);
  envelope.set(HEADER_V1_XCHACHA, 0);
  envelope.set(nonce, HEADER_BYTES);
  envelope.set(sealed, HEADER_BYTES + NONCE_BYTES);
  return envelope;
}

/**
 * Decrypt an envelope made by seal() with the same key and associated data. Throws AppError
 * DECRYPT_FAILED for an unknown version or algorithm, a truncated envelope, or any change to it.
 */
export function open(key: Uint8Array, envelope: Uint8Array, ad: Uint8Array): Uint8Array<ArrayBuffer> {
  checkKey(key);
  checkBytes('associated data', ad);
  if (!(envelope instanceof Uint8Array) || envelope.length < ENVELOPE_OVERHEAD) throw decryptFailed();
  if (envelope[0] !== ENVELOPE_VERSION || envelope[1] !== ALG_XCHACHA20_POLY1305) throw decryptFailed();
  // The header just matched HEADER_V1_XCHACHA, so authenticating that constant authenticates it.
  const nonce = envelope.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES);
  try {
    return xchacha20poly1305(key, nonce, concatBytes(HEADER_V1_XCHACHA, ad)).decrypt(envelope.subarray(HEADER_BYTES + NONCE_BYTES)) as Uint8Array<ArrayBuffer>;
  } catch {
    throw decryptFailed();
  }
}
