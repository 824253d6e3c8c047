// Pinned keys (SECURITY.md 24): what I recorded of a connected person's public keys, signed with
// my Ed25519 key and encrypted with my user key, so neither the server nor anything else writing
// to this device's store can swap the keys I seal to. The record itself is opaque bytes here
// (lib/sharing/pins.ts gives it its shape).
// Layout of the plaintext: signature (64) | record.

import { AppError } from '../errors';
import { t } from '../i18n';
import { associatedData } from './ad';
import { open, seal } from './aead';
import { concatBytes, utf8 } from './encoding';
import { sign, verify } from './sign';

const SIGNATURE_BYTES = 64;
const DOMAIN = utf8('latchkey pinned keys v1');

function ad(personId: string): Uint8Array {
  return associatedData({ kind: 'pinned-keys', id: personId });
}

function statement(personId: string, record: Uint8Array): Uint8Array {
  const id = utf8(personId);
  return concatBytes(DOMAIN, Uint8Array.of(id.length >>> 8, id.length & 0xff), id, record);
}

export function sealPinnedKeys(userKey: Uint8Array, signingPrivateKey: Uint8Array, personId: string, record: Uint8Array): Uint8Array<ArrayBuffer> {
  const signature = sign(signingPrivateKey, statement(personId, record));
  return seal(userKey, concatBytes(signature, record), ad(personId));
}

/** The record, once it decrypts for this person and carries my signature; else AppError DECRYPT_FAILED. */
export function openPinnedKeys(userKey: Uint8Array, signingPublicKey: Uint8Array, personId: string, sealed: Uint8Array): Uint8Array<ArrayBuffer> {
  const plaintext = open(userKey, sealed, ad(personId));
  const record = plaintext.slice(SIGNATURE_BYTES);
  if (plaintext.length < SIGNATURE_BYTES || !verify(signingPublicKey, statement(personId, record), plaintext.subarray(0, SIGNATURE_BYTES))) {
    throw new AppError('DECRYPT_FAILED', t('peopleErrorPinDamaged'));
  }
  return record;
}
