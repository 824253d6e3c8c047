// Accepting a share key (issue 14 "Keys a server cannot swap", SECURITY.md 24): a roster is
// accepted only when its signer may sign it, and a sealed key only with a grant that commits to it.
// - The first roster I accept of a container (my anchor) must be signed by me or by a pinned
//   connection; or, when I was added by someone else, vouched for by a grant to me, signed by a
//   pinned connection with grant in it, that names the roster's hash (so a member added by B can
//   trust a share A created without being connected to A).
// - Every later roster: the next epoch exactly, chaining to the last verified one by hash, signed by
//   a member with grant (not expired when it signed) in that verified roster.
// - Every member whose keys I pinned must carry the pinned keys; my own entry must carry mine.
// - A grant: signed by a member with grant in the verified roster of its epoch, naming that
//   roster's hash, my id and my box key, the SHA-256 of the sealed key, and the key commitment,
//   which must match the key once opened (XChaCha20-Poly1305 does not commit to its key).

import { fromBase64Url, toBase64Url } from '../crypto/encoding';
import type { Identity } from '../crypto/identity';
import { commitsTo, openShareKey } from '../crypto/share-key';
import { verify } from '../crypto/sign';
import type { PinnedKeys } from './pins';
import { shareErrors } from './share-errors';
import {
  decodeGrant, decodeRoster, findMember, grantSignedBytes, mayGrant, rosterHash, rosterSignedBytes, sealedKeyHash,
  type Grant, type Roster, type RosterMember, type ShareRole,
} from './share-statements';

export interface Me {
  userId: string;
  identity: Identity;
}

/** userId → the keys I pinned for that connection (lib/sharing/pins.ts). */
export type Pins = ReadonlyMap<string, PinnedKeys>;

/** A roster that passed verifyRoster (or that I issued). Keep the last one per container. */
export interface VerifiedRoster {
  roster: Roster;
  /** base64url SHA-256 of its signed bytes: the next epoch's prevRosterHash. */
  hash: string;
}

export interface VerifyRosterInput {
  roster: string;
  /** The last verified roster of this container; absent only for the first one I accept. */
  previous?: VerifiedRoster;
  pins: Pins;
  me: Me;
}

function signedBy(publicKey: string | Uint8Array, message: Uint8Array, signature: string): boolean {
  return verify(typeof publicKey === 'string' ? fromBase64Url(publicKey) : publicKey, message, fromBase64Url(signature));
}

/** Every member whose keys I know (mine, or pinned) carries exactly those keys. */
export function checkMemberKeys(members: readonly RosterMember[], pins: Pins, me: Me): void {
  const myBox = toBase64Url(me.identity.box.publicKey);
  const mySigning = toBase64Url(me.identity.signing.publicKey);
  for (const m of members) {
    if (m.userId === me.userId) {
      if (m.boxPublicKey !== myBox || m.signingPublicKey !== mySigning) throw shareErrors.notMine();
      continue;
    }
    const pinned = pins.get(m.userId);
    if (pinned && (pinned.boxPublicKey !== m.boxPublicKey || pinned.signingPublicKey !== m.signingPublicKey)) {
      throw shareErrors.keyChanged(pinned.username, m.userId);
    }
  }
}

/** The signing key of someone I trust without a roster: myself, or a pinned connection. */
function trustedSigningKey(userId: string, pins: Pins, me: Me): Uint8Array | undefined {
  if (userId === me.userId) return me.identity.signing.publicKey;
  const pinned = pins.get(userId);
  return pinned ? fromBase64Url(pinned.signingPublicKey) : undefined;
}

/** The key the anchor roster's signature must verify under (its `signer` is a member of it), or a refusal. */
function anchorSignerKey(signer: RosterMember, hash: string, pins: Pins, me: Me, vouch: Grant | undefined): Uint8Array {
  const direct = trustedSigningKey(signer.userId, pins, me);
  if (direct) return direct;
  if (!vouch || vouch.rosterHash !== hash) throw shareErrors.notPinned();
  if (!trustedSigningKey(vouch.signer, pins, me)) throw shareErrors.notPinned();
  // The voucher (pinned) names this roster's hash, so the signer's key as listed in it is theirs.
  // Nothing is trusted yet: acceptShareKey, the only caller with a voucher, then checks that the
  // voucher holds grant in this roster and signed the grant, under their listed key, which
  // checkMemberKeys compares with the pinned one before the roster is returned.
  return fromBase64Url(signer.signingPublicKey);
}

function verifyParsedRoster(roster: Roster, input: Omit<VerifyRosterInput, 'roster'>, vouch?: Grant): VerifiedRoster {
  const { previous, pins, me } = input;
  const hash = rosterHash(roster);
  const signed = rosterSignedBytes(roster);
  if (previous) {
    const last = previous.roster;
    if (roster.container !== last.container) throw shareErrors.brokenChain();
    if (roster.epoch <= last.epoch) throw shareErrors.replayed();
    if (roster.epoch !== last.epoch + 1 || roster.prevRosterHash !== previous.hash) throw shareErrors.brokenChain();
    const signer = findMember(last, roster.signer);
    if (!mayGrant(signer, roster.signedAt)) throw shareErrors.signerNotAllowed();
    if (!signedBy(signer.signingPublicKey, signed, roster.signature)) throw shareErrors.forged();
  } else {
    // Whoever starts my chain must be able to continue it: a member with grant in it.
    const signer = findMember(roster, roster.signer);
    if (!mayGrant(signer, roster.signedAt)) throw shareErrors.signerNotAllowed();
    if (!signedBy(anchorSignerKey(signer, hash, pins, me, vouch), signed, roster.signature)) throw shareErrors.forged();
  }
  checkMemberKeys(roster.members, pins, me);
  return { roster, hash };
}

/** Verify a roster from the wire against the last verified one (or as my first); throws a share refusal. */
export function verifyRoster(input: VerifyRosterInput): VerifiedRoster {
  return verifyParsedRoster(decodeRoster(input.roster), input);
}

export interface AcceptShareKeyInput {
  /** The wire strings the server stored for this (container, epoch) and for me. */
  roster: string;
  grant: string;
  sealedKey: string;
  previous?: VerifiedRoster;
  pins: Pins;
  me: Me;
}

export interface AcceptedShareKey {
  shareKey: Uint8Array<ArrayBuffer>;
  roster: VerifiedRoster;
  /** My permission and end date as granted (a grant may change them within an epoch). */
  role: ShareRole;
  expiresAt?: number;
  grantedBy: string;
}

/** Verify the roster and my grant of one epoch, open my sealed key, and check it is the key they commit to. */
export function acceptShareKey(input: AcceptShareKeyInput): AcceptedShareKey {
  const { me } = input;
  const roster = decodeRoster(input.roster);
  const grant = decodeGrant(input.grant);
  let sealed: Uint8Array;
  try {
    sealed = fromBase64Url(input.sealedKey);
  } catch (cause) {
    throw shareErrors.damaged(cause);
  }
  if (grant.container !== roster.container || grant.epoch !== roster.epoch) throw shareErrors.brokenChain();
  if (grant.to !== me.userId || grant.toBoxPublicKey !== toBase64Url(me.identity.box.publicKey)) throw shareErrors.notMine();

  const verified = verifyParsedRoster(roster, input, grant);
  if (grant.rosterHash !== verified.hash) throw shareErrors.brokenChain();
  const granter = findMember(roster, grant.signer);
  if (!mayGrant(granter, grant.signedAt)) throw shareErrors.signerNotAllowed();
  if (!signedBy(granter.signingPublicKey, grantSignedBytes(grant), grant.signature)) throw shareErrors.forged();

  if (sealedKeyHash(sealed) !== grant.sealedKeyHash) throw shareErrors.keyCommitment();
  const shareKey = openShareKey(me.identity.box.privateKey, sealed, { container: roster.container, epoch: roster.epoch, userId: me.userId });
  const commitment = fromBase64Url(grant.keyCommitment);
  if (grant.keyCommitment !== roster.keyCommitment || !commitsTo(commitment, shareKey, roster.container, roster.epoch)) {
    shareKey.fill(0);
    throw shareErrors.keyCommitment();
  }
  const accepted: AcceptedShareKey = { shareKey, roster: verified, role: grant.role, grantedBy: grant.signer };
  if (grant.expiresAt !== undefined) accepted.expiresAt = grant.expiresAt;
  return accepted;
}
