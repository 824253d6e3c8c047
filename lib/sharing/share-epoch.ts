// Issuing share keys (issue 14): the first epoch of a new share, the next epoch of a rotation
// (revoke: a new key the removed members never see), and a grant of the current key to one more
// member. Each epoch: a fresh share key, its commitment, a roster signed by me, and per member the
// key sealed to their box key (share-key.ts) with a grant signed by me. Every output is a
// base64url wire string the server stores opaquely (formats: share-statements.ts).

import { fromBase64Url, toBase64Url } from '../crypto/encoding';
import { commitsTo, generateShareKey, keyCommitment, sealShareKey } from '../crypto/share-key';
import { AppError } from '../errors';
import { t } from '../i18n';
import { shareErrors } from './share-errors';
import {
  encodeStatement, findMember, MAX_MEMBERS, mayGrant, rosterHash, sealedKeyHash, signGrant, signRoster,
  type RosterMember, type ShareRole,
} from './share-statements';
import { checkMemberKeys, type Me, type Pins, type VerifiedRoster } from './share-verify';

/** A person to add: keys from my pins (or from a verified roster or grant), never fresh from the server. */
export interface NewMember {
  userId: string;
  role: ShareRole;
  boxPublicKey: string;
  signingPublicKey: string;
  expiresAt?: number;
}

/** What the server stores per (container, epoch, member). */
export interface MemberKey {
  userId: string;
  sealedKey: string;
  grant: string;
}

export interface IssuedEpoch {
  container: string;
  epoch: number;
  shareKey: Uint8Array<ArrayBuffer>;
  /** The roster's wire string, and the same roster as verified (keep it as the last verified one). */
  roster: string;
  verified: VerifiedRoster;
  /** One per member, me included (my other devices open mine). */
  keys: MemberKey[];
}

function bug(what: string): AppError {
  return new AppError('BAD_INPUT', t('errorBug', what));
}

function asMember(m: NewMember, grantedBy: string): RosterMember {
  const member: RosterMember = { userId: m.userId, role: m.role, boxPublicKey: m.boxPublicKey, signingPublicKey: m.signingPublicKey, grantedBy };
  if (m.expiresAt !== undefined) member.expiresAt = m.expiresAt;
  return member;
}

function myEntry(me: Me): RosterMember {
  return { userId: me.userId, role: 'grant', boxPublicKey: toBase64Url(me.identity.box.publicKey), signingPublicKey: toBase64Url(me.identity.signing.publicKey), grantedBy: me.userId };
}

interface GrantInput {
  container: string;
  epoch: number;
  shareKey: Uint8Array;
  commitment: string;
  rosterHash: string;
  me: Me;
  now: number;
}

function grantTo(m: RosterMember, g: GrantInput): MemberKey {
  const sealed = sealShareKey(fromBase64Url(m.boxPublicKey), g.shareKey, { container: g.container, epoch: g.epoch, userId: m.userId });
  const grant = signGrant(g.me.identity.signing.privateKey, {
    container: g.container, epoch: g.epoch, to: m.userId, toBoxPublicKey: m.boxPublicKey, role: m.role,
    ...(m.expiresAt === undefined ? {} : { expiresAt: m.expiresAt }),
    keyCommitment: g.commitment, sealedKeyHash: sealedKeyHash(sealed), rosterHash: g.rosterHash, signer: g.me.userId, signedAt: g.now,
  });
  return { userId: m.userId, sealedKey: toBase64Url(sealed), grant: encodeStatement(grant) };
}

function issueEpoch(container: string, epoch: number, prevRosterHash: string | null, members: RosterMember[], me: Me, now: number): IssuedEpoch {
  const sorted = [...members].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i - 1]!.userId === sorted[i]!.userId) throw bug('a person is listed twice among the members');
  }
  if (sorted.length > MAX_MEMBERS) throw bug(`a share has at most ${MAX_MEMBERS} members`);
  const shareKey = generateShareKey();
  const commitment = toBase64Url(keyCommitment(shareKey, container, epoch));
  const roster = signRoster(me.identity.signing.privateKey, {
    container, epoch, members: sorted, keyCommitment: commitment, prevRosterHash, signer: me.userId, signedAt: now,
  });
  const hash = rosterHash(roster);
  const grantInput: GrantInput = { container, epoch, shareKey, commitment, rosterHash: hash, me, now };
  return {
    container, epoch, shareKey,
    roster: encodeStatement(roster),
    verified: { roster, hash },
    keys: sorted.map((m) => grantTo(m, grantInput)),
  };
}

/** Epoch 1 of a new share: me with grant, and `members` granted by me. */
export function createShare(input: { container: string; me: Me; members: NewMember[]; pins: Pins; now: number }): IssuedEpoch {
  const { container, me, pins, now } = input;
  if (input.members.some((m) => m.userId === me.userId)) throw bug('the creator of a share is a member already');
  const members = [myEntry(me), ...input.members.map((m) => asMember(m, me.userId))];
  checkMemberKeys(members, pins, me);
  return issueEpoch(container, 1, null, members, me, now);
}

export interface RotateInput {
  /** The verified roster of the epoch being replaced. */
  previous: VerifiedRoster;
  me: Me;
  /** Members who lose access: they are sealed nothing of the new epoch. */
  remove: string[];
  add: NewMember[];
  pins: Pins;
  now: number;
}

/** The next epoch: a new key for the members kept and added, a roster chaining to `previous`, signed by me. */
export function rotateShare(input: RotateInput): IssuedEpoch {
  const { previous, me, pins, now } = input;
  const last = previous.roster;
  if (!mayGrant(findMember(last, me.userId), now)) throw shareErrors.noGrant();
  const remove = new Set(input.remove);
  if (remove.has(me.userId)) throw bug('a rotation cannot remove the member who rotates');
  for (const id of remove) if (!findMember(last, id)) throw bug('only members can be removed');
  const kept = last.members.filter((m) => !remove.has(m.userId));
  for (const m of input.add) if (findMember(last, m.userId) && !remove.has(m.userId)) throw bug('that person is a member already');
  const members = [...kept, ...input.add.map((m) => asMember(m, me.userId))];
  // Kept members were checked against my pins when `previous` was verified; pins may have changed since.
  checkMemberKeys(members, pins, me);
  return issueEpoch(last.container, last.epoch + 1, previous.hash, members, me, now);
}

/**
 * The current epoch's key for one more member (or a member's new role or end date), without a
 * new epoch: adding never needs a new key. The member enters the roster at the next rotation; their
 * grant names this roster's hash, so they can verify it even when they do not know its signer.
 */
export function grantShareKey(input: { roster: VerifiedRoster; shareKey: Uint8Array; me: Me; member: NewMember; pins: Pins; now: number }): MemberKey {
  const { roster, shareKey, me, pins, now } = input;
  const r = roster.roster;
  if (!mayGrant(findMember(r, me.userId), now)) throw shareErrors.noGrant();
  if (!commitsTo(fromBase64Url(r.keyCommitment), shareKey, r.container, r.epoch)) throw shareErrors.keyCommitment();
  const member = asMember(input.member, me.userId);
  checkMemberKeys([member], pins, me);
  const listed = findMember(r, member.userId);
  if (listed && (listed.boxPublicKey !== member.boxPublicKey || listed.signingPublicKey !== member.signingPublicKey)) {
    throw shareErrors.keyChanged(pins.get(member.userId)?.username ?? member.userId, member.userId);
  }
  return grantTo(member, { container: r.container, epoch: r.epoch, shareKey, commitment: r.keyCommitment, rosterHash: roster.hash, me, now });
}
