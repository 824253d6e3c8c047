// Ed25519 signatures (RFC 8032): whoever grants a share key signs it, and members check that
// signature against the pinned key of a connected person (SECURITY.md item 24).

import { ed25519 } from '@noble/curves/ed25519.js';
import { AppError } from '../errors';
import { t } from '../i18n';

export interface SigningKeyPair {
  publicKey: Uint8Array<ArrayBuffer>;
  /** The 32-byte RFC 8032 seed. */
  privateKey: Uint8Array<ArrayBuffer>;
}

export function generateSigningKeyPair(): SigningKeyPair {
  const { secretKey, publicKey } = ed25519.keygen();
  return { publicKey, privateKey: secretKey };
}

/** The public half of a 32-byte Ed25519 private key. */
export function signingPublicKey(privateKey: Uint8Array): Uint8Array<ArrayBuffer> {
  checkPrivateKey(privateKey);
  return ed25519.getPublicKey(privateKey);
}

export function sign(privateKey: Uint8Array, message: Uint8Array): Uint8Array<ArrayBuffer> {
  checkPrivateKey(privateKey);
  if (!(message instanceof Uint8Array)) {
    throw new AppError('BAD_INPUT', t('errorBug', 'only bytes can be signed'));
  }
  return ed25519.sign(message, privateKey);
}

/**
 * True only for a valid signature under RFC 8032's strict decoding (no ZIP-215 leniency).
 * Small-order public keys are refused: with one, a signature can verify for any message.
 * Malformed keys, signatures or messages return false; this never throws.
 */
export function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return false;
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  if (!(message instanceof Uint8Array)) return false;
  try {
    // noble's strict mode refuses these too; checked here as well so that a change of library
    // default cannot quietly drop it.
    if (ed25519.Point.fromBytes(publicKey, false).isSmallOrder()) return false;
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

function checkPrivateKey(privateKey: unknown): asserts privateKey is Uint8Array {
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== 32) {
    throw new AppError('BAD_INPUT', t('errorBug', 'an Ed25519 private key must be 32 bytes'));
  }
}
