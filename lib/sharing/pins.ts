// The pinned keys of one person (DESIGN.md "Keys"): the public keys I saw when we connected (or
// accepted since), whether I compared fingerprints with them, and how the keys the server now
// reports compare. Sealing and signing are lib/crypto/pinned-keys.ts; this is the record's shape.
import { z } from 'zod';
import { equalBytes, fromBase64Url, fromUtf8, utf8 } from '../crypto/encoding';
import { AppError } from '../errors';
import { t } from '../i18n';
import { fingerprint } from '../crypto/identity';
import { openPinnedKeys, sealPinnedKeys } from '../crypto/pinned-keys';

const key = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

export const pinnedKeysSchema = z.strictObject({
  v: z.literal(1),
  userId: z.string().min(1).max(64),
  username: z.string().max(254),
  boxPublicKey: key,
  signingPublicKey: key,
  verified: z.boolean(),
  pinnedAt: z.number().int().nonnegative(),
  verifiedAt: z.number().int().nonnegative().optional(),
});
export type PinnedKeys = z.infer<typeof pinnedKeysSchema>;

/** A person's public keys as the server reports them (base64url). */
export interface PublicKeys {
  boxPublicKey: string;
  signingPublicKey: string;
}

/** new: nothing pinned yet; same: the server reports the pinned keys; changed: it reports others. */
export type KeyState = 'new' | 'same' | 'changed';

export function keyState(pinned: PinnedKeys | undefined, reported: PublicKeys): KeyState {
  if (!pinned) return 'new';
  const same =
    equalBytes(fromBase64Url(pinned.boxPublicKey), fromBase64Url(reported.boxPublicKey)) &&
    equalBytes(fromBase64Url(pinned.signingPublicKey), fromBase64Url(reported.signingPublicKey));
  return same ? 'same' : 'changed';
}

export function pin(person: { userId: string; username: string } & PublicKeys, now: number): PinnedKeys {
  // Decoding checks these are 32-byte keys before anything is stored.
  fingerprintOf(person);
  return { v: 1, userId: person.userId, username: person.username, boxPublicKey: person.boxPublicKey, signingPublicKey: person.signingPublicKey, verified: false, pinnedAt: now };
}

/** The fingerprint both people compute from the same two public keys (8 groups of 5 digits). */
export function fingerprintOf(keys: PublicKeys): string {
  return fingerprint(fromBase64Url(keys.boxPublicKey), fromBase64Url(keys.signingPublicKey));
}

/** What a QR code of a fingerprint holds: the username with the digits, nothing secret. */
export function fingerprintQrText(username: string, fp: string): string {
  return `latchkey-fingerprint:1:${username}:${fp.replace(/ /g, '')}`;
}

export function sealPins(userKey: Uint8Array, signingPrivateKey: Uint8Array, pins: PinnedKeys): Uint8Array<ArrayBuffer> {
  return sealPinnedKeys(userKey, signingPrivateKey, pins.userId, utf8(JSON.stringify(pinnedKeysSchema.parse(pins))));
}

/** The record, when it opens for this person and carries my signature; throws DECRYPT_FAILED otherwise. */
export function openPins(userKey: Uint8Array, signingPublicKey: Uint8Array, personId: string, sealed: Uint8Array): PinnedKeys {
  const record = pinnedKeysSchema.parse(JSON.parse(fromUtf8(openPinnedKeys(userKey, signingPublicKey, personId, sealed))));
  if (record.userId !== personId) throw new AppError('DECRYPT_FAILED', t('peopleErrorPinDamaged'));
  return record;
}
