// Symmetric keys: user keys, item keys and share keys are random 32-byte keys, stored wrapped
// (encrypted) by the key of whatever holds them, bound to associated data like any ciphertext.

import { AppError } from '../errors';
import { open, seal } from './aead';
import { randomBytes } from './random';
import { t } from '../i18n';

export const KEY_BYTES = 32;

export function generateKey(): Uint8Array<ArrayBuffer> {
  return randomBytes(KEY_BYTES);
}

/** Encrypt `key` under `wrappingKey`; `ad` says which key it is (kind 'item-key', 'user-key', 'share-key'…). */
export function wrapKey(wrappingKey: Uint8Array, key: Uint8Array, ad: Uint8Array): Uint8Array<ArrayBuffer> {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) {
    throw new AppError('BAD_INPUT', t('errorBug', 'only 32-byte keys can be wrapped'));
  }
  return seal(wrappingKey, key, ad);
}

/** Decrypt a wrapped key. Throws AppError DECRYPT_FAILED if it was altered, moved, or is not a 32-byte key. */
export function unwrapKey(wrappingKey: Uint8Array, wrapped: Uint8Array, ad: Uint8Array): Uint8Array<ArrayBuffer> {
  const key = open(wrappingKey, wrapped, ad);
  if (key.length !== KEY_BYTES) {
    key.fill(0);
    throw new AppError('DECRYPT_FAILED', t('errorStoredKeyLength'));
  }
  return key;
}
