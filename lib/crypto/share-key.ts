// Share keys (DESIGN.md "Containers"): one random 32-byte key per (container, epoch), sealed to
// each member's X25519 key (seal.ts) with associated data naming the container, the epoch and the
// member, so a sealed key cannot be handed to another member, share or epoch.
// XChaCha20-Poly1305 does not commit to its key (a crafted envelope can open under two keys), so
// every signed roster and grant carries a commitment to the key:
//   HMAC-SHA256(shareKey, canonical["latchkey share-key commitment", 1, container, epoch])
// (canonical.ts encoding: typed and length-prefixed), checked after a sealed key is opened.

import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { AppError } from '../errors';
import { t } from '../i18n';
import { associatedData } from './ad';
import { canonicalBytes } from './canonical';
import { equalBytes } from './encoding';
import { generateKey, KEY_BYTES } from './keys';
import { openSealed, sealTo } from './seal';

const COMMITMENT_DOMAIN = 'latchkey share-key commitment';
const COMMITMENT_VERSION = 1;

/** Which sealed share key: the share, its epoch, and the member it is sealed to. */
export interface ShareKeySlot {
  container: string;
  epoch: number;
  userId: string;
}

export function generateShareKey(): Uint8Array<ArrayBuffer> {
  return generateKey();
}

function checkEpoch(epoch: number): void {
  if (!Number.isSafeInteger(epoch) || epoch < 1) {
    throw new AppError('BAD_INPUT', t('errorBug', 'a share key epoch must be a whole number of 1 or more'));
  }
}

/** The associated data of a sealed share key; the epoch sits in the revision slot (it is the key's revision). */
function sealedKeyAd(slot: ShareKeySlot): Uint8Array {
  checkEpoch(slot.epoch);
  return associatedData({ kind: 'share-key', id: slot.userId, container: slot.container, revision: slot.epoch });
}

/** Seal `shareKey` to a member's X25519 public key (pinned, or from a verified roster). */
export function sealShareKey(recipientBoxPublicKey: Uint8Array, shareKey: Uint8Array, slot: ShareKeySlot): Uint8Array<ArrayBuffer> {
  if (!(shareKey instanceof Uint8Array) || shareKey.length !== KEY_BYTES) {
    throw new AppError('BAD_INPUT', t('errorBug', 'a share key must be 32 bytes'));
  }
  return sealTo(recipientBoxPublicKey, shareKey, sealedKeyAd(slot));
}

/**
 * Open a sealed share key with my X25519 private key. Throws AppError DECRYPT_FAILED when it was
 * sealed for someone else, another share or epoch, or changed. The key is not yet trusted: check
 * its commitment against a verified grant (lib/sharing/share-verify.ts).
 */
export function openShareKey(boxPrivateKey: Uint8Array, sealed: Uint8Array, slot: ShareKeySlot): Uint8Array<ArrayBuffer> {
  const key = openSealed(boxPrivateKey, sealed, sealedKeyAd(slot));
  if (key.length !== KEY_BYTES) {
    key.fill(0);
    throw new AppError('DECRYPT_FAILED', t('errorStoredKeyLength'));
  }
  return key;
}

/** The commitment signed statements carry, binding them to one key of one (container, epoch). */
export function keyCommitment(shareKey: Uint8Array, container: string, epoch: number): Uint8Array<ArrayBuffer> {
  checkEpoch(epoch);
  if (!(shareKey instanceof Uint8Array) || shareKey.length !== KEY_BYTES) {
    throw new AppError('BAD_INPUT', t('errorBug', 'a share key must be 32 bytes'));
  }
  return hmac(sha256, shareKey, canonicalBytes([COMMITMENT_DOMAIN, COMMITMENT_VERSION, container, epoch])) as Uint8Array<ArrayBuffer>;
}

export function commitsTo(commitment: Uint8Array, shareKey: Uint8Array, container: string, epoch: number): boolean {
  return equalBytes(commitment, keyCommitment(shareKey, container, epoch));
}
