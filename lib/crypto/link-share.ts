// Link-share keys (DESIGN.md "Link-share keys", SECURITY.md 18). The link's secret lives only in
// the URL fragment. The payload key needs three things: that secret, Argon2id of the PIN or
// passphrase, and a server share that the server releases only to a correct proof. A copy of the
// database and the link therefore cannot test a PIN offline: the server keeps the proof's tag and
// its share under a pepper outside the database, and every guess goes through its counter.

import { AppError } from '../errors';
import { associatedData } from './ad';
import { open, seal } from './aead';
import { concatBytes, utf8 } from './encoding';
import { argon2id, hkdfSha256, type KdfParams } from './kdf';
import { randomBytes } from './random';
import { t } from '../i18n';

/** 256 bits: the fragment is the only thing standing between a stolen database and a no-PIN link. */
export const LINK_SECRET_BYTES = 32;
export const LINK_SERVER_SHARE_BYTES = 32;
export const LINK_SALT_BYTES = 16;
export const LINK_PIN_DIGITS = 5;

const NO_PIN = new Uint8Array(32);

function checkSecret(secret: Uint8Array): void {
  if (!(secret instanceof Uint8Array) || secret.length !== LINK_SECRET_BYTES) {
    throw new AppError('BAD_INPUT', t('errorLinkIncomplete'));
  }
}

/** A fresh secret for a new link. */
export function generateLinkSecret(): Uint8Array<ArrayBuffer> {
  return randomBytes(LINK_SECRET_BYTES);
}

/** A uniformly random 5-digit PIN (leading zeros allowed), by rejection sampling. */
export function generateLinkPin(): string {
  const range = 10 ** LINK_PIN_DIGITS;
  const limit = Math.floor(0x1_0000_0000 / range) * range;
  for (;;) {
    const b = randomBytes(4);
    const n = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
    if (n < limit) return String(n % range).padStart(LINK_PIN_DIGITS, '0');
  }
}

/**
 * Argon2id of the PIN or passphrase (Unicode-normalised, so the same words typed on another
 * system give the same key); a link without protection uses a fixed block instead.
 */
export async function linkPinKey(pin: string | null, salt: Uint8Array, kdf: KdfParams): Promise<Uint8Array<ArrayBuffer>> {
  if (pin === null) return NO_PIN.slice();
  if (pin.length === 0) throw new AppError('BAD_INPUT', t('errorLinkSecretMissing'));
  return argon2id(utf8(pin.normalize('NFC')), salt, kdf);
}

/** Proves knowledge of the secret alone: the server answers "no such link" to anything else. */
export function linkLookupTag(secret: Uint8Array, linkId: string): Uint8Array<ArrayBuffer> {
  checkSecret(secret);
  return hkdfSha256(secret, utf8(linkId), 'latchkey link lookup v1', 32);
}

/** Proves the secret and the PIN together: the server releases its share only to this. */
export function linkProof(secret: Uint8Array, pinKey: Uint8Array, linkId: string): Uint8Array<ArrayBuffer> {
  checkSecret(secret);
  return hkdfSha256(concatBytes(secret, pinKey), utf8(linkId), 'latchkey link proof v1', 32);
}

/** The key of the link's payload. */
export function linkPayloadKey(secret: Uint8Array, pinKey: Uint8Array, serverShare: Uint8Array, linkId: string): Uint8Array<ArrayBuffer> {
  checkSecret(secret);
  if (serverShare.length !== LINK_SERVER_SHARE_BYTES) throw new AppError('DECRYPT_FAILED', t('errorLinkKeyDamaged'));
  return hkdfSha256(concatBytes(secret, pinKey, serverShare), utf8(linkId), 'latchkey link payload key v1', 32);
}

export function sealLinkPayload(key: Uint8Array, linkId: string, plaintext: Uint8Array): Uint8Array<ArrayBuffer> {
  return seal(key, plaintext, associatedData({ kind: 'link-payload', id: linkId }));
}

export function openLinkPayload(key: Uint8Array, linkId: string, envelope: Uint8Array): Uint8Array<ArrayBuffer> {
  return open(key, envelope, associatedData({ kind: 'link-payload', id: linkId }));
}

/**
 * The key of the link's public part (title, sender, entry count): the secret alone opens it, so
 * the pick-up page can show what the link is before anything is spent. The server never sees it.
 */
export function linkMetaKey(secret: Uint8Array, linkId: string): Uint8Array<ArrayBuffer> {
  checkSecret(secret);
  return hkdfSha256(secret, utf8(linkId), 'latchkey link meta v1', 32);
}

export function sealLinkMeta(key: Uint8Array, linkId: string, plaintext: Uint8Array): Uint8Array<ArrayBuffer> {
  return seal(key, plaintext, associatedData({ kind: 'link-meta', id: linkId }));
}

export function openLinkMeta(key: Uint8Array, linkId: string, envelope: Uint8Array): Uint8Array<ArrayBuffer> {
  return open(key, envelope, associatedData({ kind: 'link-meta', id: linkId }));
}
