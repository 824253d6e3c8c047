// The signed statements of a share: the roster of one (container, epoch) and the grant of that
// epoch's key to one member. On the wire each is one base64url string of the UTF-8 JSON below,
// signature included; what is signed is not the JSON but lib/crypto/canonical.ts bytes of the
// fields in a fixed order, under the tags 'share-roster' and 'share-grant' (version 1), so key
// order, spacing or escapes in the JSON change nothing.
//   roster: { v, kind: 'roster', container, epoch, members: [{ userId, role, boxPublicKey,
//             signingPublicKey, expiresAt?, grantedBy }] (sorted by userId, unique),
//             keyCommitment, prevRosterHash (null for epoch 1), signer, signedAt, signature }
//   grant:  { v, kind: 'grant', container, epoch, to, toBoxPublicKey, role, expiresAt?,
//             keyCommitment, sealedKeyHash, rosterHash, signer, signedAt, signature }
// Keys, hashes and signatures are base64url; times are milliseconds since 1970.

import { sha256 } from '@noble/hashes/sha2.js';
import { z } from 'zod';
import { statementBytes, type CanonicalValue } from '../crypto/canonical';
import { fromBase64Url, fromUtf8, toBase64Url, utf8 } from '../crypto/encoding';
import { sign } from '../crypto/sign';
import { shareErrors } from './share-errors';

export const SHARE_ROLES = ['read', 'write', 'grant'] as const;
export type ShareRole = (typeof SHARE_ROLES)[number];

const STATEMENT_VERSION = 1;
/** A roster of 1,000 members is about 250 KB; anything far beyond is not ours. */
const MAX_WIRE_CHARS = 1_000_000;
export const MAX_MEMBERS = 2000;

/** Base64url of exactly `bytes` bytes, in its one canonical spelling, so equal strings mean equal keys. */
const b64 = (bytes: number) =>
  z.string().length(Math.ceil((bytes * 4) / 3)).refine((s) => {
    try {
      return fromBase64Url(s).length === bytes;
    } catch {
      return false;
    }
  });
const key32 = b64(32);
const id = z.string().min(1).max(128);
const time = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const epoch = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const rosterMemberSchema = z.strictObject({
  userId: id,
  role: z.enum(SHARE_ROLES),
  boxPublicKey: key32,
  signingPublicKey: key32,
  expiresAt: time.optional(),
  grantedBy: id,
});
export type RosterMember = z.infer<typeof rosterMemberSchema>;

const rosterBody = {
  v: z.literal(STATEMENT_VERSION),
  kind: z.literal('roster'),
  container: id,
  epoch,
  members: z.array(rosterMemberSchema).min(1).max(MAX_MEMBERS),
  keyCommitment: key32,
  prevRosterHash: key32.nullable(),
  signer: id,
  signedAt: time,
};
export const rosterSchema = z.strictObject({ ...rosterBody, signature: b64(64) });
export type Roster = z.infer<typeof rosterSchema>;
export type RosterBody = Omit<Roster, 'signature'>;

export const grantSchema = z.strictObject({
  v: z.literal(STATEMENT_VERSION),
  kind: z.literal('grant'),
  container: id,
  epoch,
  to: id,
  toBoxPublicKey: key32,
  role: z.enum(SHARE_ROLES),
  expiresAt: time.optional(),
  keyCommitment: key32,
  sealedKeyHash: key32,
  rosterHash: key32,
  signer: id,
  signedAt: time,
  signature: b64(64),
});
export type Grant = z.infer<typeof grantSchema>;
export type GrantBody = Omit<Grant, 'signature'>;

const bytes = fromBase64Url;

function memberFields(m: RosterMember): CanonicalValue {
  return [m.userId, m.role, bytes(m.boxPublicKey), bytes(m.signingPublicKey), m.expiresAt ?? null, m.grantedBy];
}

/** The bytes a roster's signer signs; their SHA-256 is the roster's hash (the next epoch's prevRosterHash). */
export function rosterSignedBytes(r: RosterBody): Uint8Array<ArrayBuffer> {
  return statementBytes('share-roster', r.v, [
    r.container, r.epoch, r.members.map(memberFields), bytes(r.keyCommitment),
    r.prevRosterHash === null ? null : bytes(r.prevRosterHash), r.signer, r.signedAt,
  ]);
}

export function grantSignedBytes(g: GrantBody): Uint8Array<ArrayBuffer> {
  return statementBytes('share-grant', g.v, [
    g.container, g.epoch, g.to, bytes(g.toBoxPublicKey), g.role, g.expiresAt ?? null,
    bytes(g.keyCommitment), bytes(g.sealedKeyHash), bytes(g.rosterHash), g.signer, g.signedAt,
  ]);
}

export function rosterHash(r: RosterBody): string {
  return toBase64Url(sha256(rosterSignedBytes(r)));
}

/** SHA-256 of a sealed share key, as a grant names it. */
export function sealedKeyHash(sealedKey: Uint8Array): string {
  return toBase64Url(sha256(sealedKey));
}

export function signRoster(signingPrivateKey: Uint8Array, body: Omit<RosterBody, 'v' | 'kind'>): Roster {
  const full: RosterBody = { v: STATEMENT_VERSION, kind: 'roster', ...body };
  return { ...full, signature: toBase64Url(sign(signingPrivateKey, rosterSignedBytes(full))) };
}

export function signGrant(signingPrivateKey: Uint8Array, body: Omit<GrantBody, 'v' | 'kind'>): Grant {
  const full: GrantBody = { v: STATEMENT_VERSION, kind: 'grant', ...body };
  return { ...full, signature: toBase64Url(sign(signingPrivateKey, grantSignedBytes(full))) };
}

export function encodeStatement(statement: Roster | Grant): string {
  return toBase64Url(utf8(JSON.stringify(statement)));
}

function decode<T>(wire: string, schema: z.ZodType<T>): T {
  if (typeof wire !== 'string' || wire.length > MAX_WIRE_CHARS) throw shareErrors.damaged();
  try {
    return schema.parse(JSON.parse(fromUtf8(fromBase64Url(wire))));
  } catch (cause) {
    throw shareErrors.damaged(cause);
  }
}

/** A roster from the wire, its shape checked (members sorted by userId and unique); not yet verified. */
export function decodeRoster(wire: string): Roster {
  const roster = decode(wire, rosterSchema);
  for (let i = 1; i < roster.members.length; i++) {
    if (!(roster.members[i - 1]!.userId < roster.members[i]!.userId)) throw shareErrors.damaged();
  }
  if ((roster.epoch === 1) !== (roster.prevRosterHash === null)) throw shareErrors.damaged();
  return roster;
}

/** A grant from the wire, its shape checked; not yet verified. */
export function decodeGrant(wire: string): Grant {
  return decode(wire, grantSchema);
}

export function findMember(roster: RosterBody, userId: string): RosterMember | undefined {
  return roster.members.find((m) => m.userId === userId);
}

/** A member who may sign the next epoch or grants: role grant, not expired at `at`. */
export function mayGrant(member: RosterMember | undefined, at: number): member is RosterMember {
  return member !== undefined && member.role === 'grant' && (member.expiresAt === undefined || member.expiresAt > at);
}
