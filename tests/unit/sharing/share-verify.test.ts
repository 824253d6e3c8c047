import { describe, expect, it } from 'vitest';
import { equalBytes, fromBase64Url, generateKey, toBase64Url } from '../../../lib/crypto';
import { keyCommitment, sealShareKey } from '../../../lib/crypto/share-key';
import { createShare, grantShareKey, rotateShare, type IssuedEpoch } from '../../../lib/sharing/share-epoch';
import {
  encodeStatement, rosterHash, sealedKeyHash, signGrant, signRoster, type Grant, type Roster,
} from '../../../lib/sharing/share-statements';
import { acceptShareKey, verifyRoster, type Pins, type VerifiedRoster } from '../../../lib/sharing/share-verify';
import { asNewMember, expectRefusal, person, pinsOf, unwire, wire, type Person } from './share-fixtures';

const ann = person('ann');
const bob = person('bob');
const carol = person('carol');
const dave = person('dave');
const eve = person('eve');
const NOW = 1_700_000_000_000;

/** Ann's share with Bob (grant) and Carol (read), epoch 1. */
function annShare(): IssuedEpoch {
  return createShare({ container: 'c-1', me: ann, members: [asNewMember(bob, 'grant'), asNewMember(carol, 'read')], pins: pinsOf(bob, carol), now: NOW });
}

function keyFor(issued: IssuedEpoch, who: Person) {
  const k = issued.keys.find((x) => x.userId === who.userId);
  if (!k) throw new Error(`no key for ${who.username}`);
  return k;
}

function accept(issued: IssuedEpoch, who: Person, pins: Pins, over: { roster?: string; grant?: string; sealedKey?: string; previous?: VerifiedRoster } = {}) {
  const k = keyFor(issued, who);
  return acceptShareKey({ roster: issued.roster, grant: k.grant, sealedKey: k.sealedKey, pins, me: who, ...over });
}

type Body<T> = Omit<T, 'v' | 'kind' | 'signature'>;

/** The roster with `changes`, signed again by `signer` (a validly signed statement with other contents). */
function resignRoster(rosterWire: string, signer: Person, changes: Partial<Body<Roster>>): string {
  const { v: _v, kind: _k, signature: _s, ...body } = unwire<Roster>(rosterWire);
  return encodeStatement(signRoster(signer.identity.signing.privateKey, { ...body, ...changes }));
}

function resignGrant(grantWire: string, signer: Person, changes: Partial<Body<Grant>>): string {
  const { v: _v, kind: _k, signature: _s, ...body } = unwire<Grant>(grantWire);
  return encodeStatement(signGrant(signer.identity.signing.privateKey, { ...body, ...changes }));
}

describe('accepting a share key', () => {
  it('opens the key for a member whose pinned connection signed the first epoch', () => {
    const issued = annShare();
    const got = accept(issued, bob, pinsOf(ann));
    expect(equalBytes(got.shareKey, issued.shareKey)).toBe(true);
    expect(got.role).toBe('grant');
    expect(got.grantedBy).toBe(ann.userId);
    expect(got.roster.hash).toBe(issued.verified.hash);
    expect(accept(issued, carol, pinsOf(ann)).role).toBe('read');
  });

  it('opens my own grant on another of my devices, with no pins at all', () => {
    const issued = annShare();
    expect(equalBytes(accept(issued, ann, new Map()).shareKey, issued.shareKey)).toBe(true);
  });

  it('refuses a first epoch signed by someone I am not connected with', () => {
    const issued = annShare();
    expectRefusal(() => accept(issued, bob, pinsOf(carol)), 'DECRYPT_FAILED', 'shareErrorNotPinned');
    expectRefusal(() => verifyRoster({ roster: issued.roster, pins: new Map(), me: bob }), 'DECRYPT_FAILED', 'shareErrorNotPinned');
    // Positive control: the same roster is accepted once Ann is pinned.
    expect(verifyRoster({ roster: issued.roster, pins: pinsOf(ann), me: bob }).hash).toBe(issued.verified.hash);
  });

  it('refuses a first epoch signed by a connection who has no grant in it', () => {
    const issued = annShare();
    const byCarol = resignRoster(issued.roster, carol, { signer: carol.userId });
    expectRefusal(() => verifyRoster({ roster: byCarol, pins: pinsOf(carol), me: bob }), 'DECRYPT_FAILED', 'shareErrorSignerNotAllowed');
    // Control: the same roster re-signed by Bob, who holds grant in it, is accepted.
    const byBob = resignRoster(issued.roster, bob, { signer: bob.userId });
    expect(verifyRoster({ roster: byBob, pins: pinsOf(bob), me: carol }).roster.signer).toBe(bob.userId);
  });

  it('refuses a forged roster: changed after signing, or signed by someone else in the signer’s name', () => {
    const issued = annShare();
    const r = unwire<Roster>(issued.roster);
    const upgraded = wire({ ...r, members: r.members.map((m) => (m.userId === carol.userId ? { ...m, role: 'grant' } : m)) });
    expectRefusal(() => verifyRoster({ roster: upgraded, pins: pinsOf(ann), me: carol }), 'DECRYPT_FAILED', 'shareErrorForged');
    const byEve = resignRoster(issued.roster, eve, {});
    expectRefusal(() => verifyRoster({ roster: byEve, pins: pinsOf(ann), me: bob }), 'DECRYPT_FAILED', 'shareErrorForged');
  });

  it('refuses a forged grant: bad signature, or signed by a member without grant', () => {
    const issued = annShare();
    const k = keyFor(issued, bob);
    const byEve = resignGrant(k.grant, eve, {});
    expectRefusal(() => accept(issued, bob, pinsOf(ann), { grant: byEve }), 'DECRYPT_FAILED', 'shareErrorForged');
    const g = unwire<Grant>(k.grant);
    expectRefusal(() => accept(issued, bob, pinsOf(ann), { grant: wire({ ...g, role: 'grant', signedAt: g.signedAt + 1 }) }), 'DECRYPT_FAILED', 'shareErrorForged');
    // Carol (read) signs a grant of Ann's key to Bob with her own, valid, key.
    const byCarol = resignGrant(k.grant, carol, { signer: carol.userId });
    expectRefusal(() => accept(issued, bob, pinsOf(ann), { grant: byCarol }), 'DECRYPT_FAILED', 'shareErrorSignerNotAllowed');
  });

  it('refuses a member whose key in the roster is not the one I pinned (swapped public keys)', () => {
    const issued = annShare();
    const r = unwire<Roster>(issued.roster);
    const eveAsCarol = { boxPublicKey: toBase64Url(eve.identity.box.publicKey), signingPublicKey: toBase64Url(eve.identity.signing.publicKey) };
    const swapped = resignRoster(issued.roster, ann, { members: r.members.map((m) => (m.userId === carol.userId ? { ...m, ...eveAsCarol } : m)) });
    const e = expectRefusal(() => verifyRoster({ roster: swapped, pins: pinsOf(ann, carol), me: bob }), 'KEY_MISMATCH', 'shareErrorKeyChanged', 'carol');
    expect(e.subject).toBe(carol.userId);
    // Control: without Carol pinned, Bob has nothing to compare and takes Ann's word.
    expect(verifyRoster({ roster: swapped, pins: pinsOf(ann), me: bob }).roster.members).toHaveLength(3);
  });

  it('refuses a roster or grant that names another key for me', () => {
    const issued = annShare();
    const r = unwire<Roster>(issued.roster);
    const eveBox = toBase64Url(eve.identity.box.publicKey);
    const rosterForEve = resignRoster(issued.roster, ann, { members: r.members.map((m) => (m.userId === bob.userId ? { ...m, boxPublicKey: eveBox } : m)) });
    expectRefusal(() => verifyRoster({ roster: rosterForEve, pins: pinsOf(ann), me: bob }), 'KEY_MISMATCH', 'shareErrorNotMine');
    const grantForEve = resignGrant(keyFor(issued, bob).grant, ann, { toBoxPublicKey: eveBox });
    expectRefusal(() => accept(issued, bob, pinsOf(ann), { grant: grantForEve }), 'KEY_MISMATCH', 'shareErrorNotMine');
    // Carol's grant handed to Bob names Carol.
    expectRefusal(() => accept(issued, bob, pinsOf(ann), { grant: keyFor(issued, carol).grant }), 'KEY_MISMATCH', 'shareErrorNotMine');
    // A grant to Carol that carries Bob's box key is not Bob's either.
    const toCarol = resignGrant(keyFor(issued, bob).grant, ann, { to: carol.userId });
    expectRefusal(() => accept(issued, bob, pinsOf(ann), { grant: toCarol }), 'KEY_MISMATCH', 'shareErrorNotMine');
  });

  it('refuses a sealed key the grant does not commit to', () => {
    const issued = annShare();
    const k = keyFor(issued, bob);
    const slot = { container: 'c-1', epoch: 1, userId: bob.userId };
    // The same key sealed again: not the sealed key the grant names.
    const resealed = toBase64Url(sealShareKey(bob.identity.box.publicKey, issued.shareKey, slot));
    expectRefusal(() => accept(issued, bob, pinsOf(ann), { sealedKey: resealed }), 'DECRYPT_FAILED', 'shareErrorKeyCommitment');
    // Another key, correctly sealed to Bob for this share and epoch: the grant's sealed-key hash catches it.
    const otherSealed = toBase64Url(sealShareKey(bob.identity.box.publicKey, generateKey(), slot));
    expectRefusal(() => accept(issued, bob, pinsOf(ann), { sealedKey: otherSealed }), 'DECRYPT_FAILED', 'shareErrorKeyCommitment');
    // A grant (validly signed) whose hash names that sealed key, but whose commitment is the roster's: the commitment catches it.
    const hashOk = resignGrant(k.grant, ann, { sealedKeyHash: sealedKeyHash(fromBase64Url(otherSealed)) });
    expectRefusal(() => accept(issued, bob, pinsOf(ann), { grant: hashOk, sealedKey: otherSealed }), 'DECRYPT_FAILED', 'shareErrorKeyCommitment');
    // The grant commits to the key Bob opens, but the roster (both validly signed) to another.
    const otherCommitment = toBase64Url(keyCommitment(generateKey(), 'c-1', 1));
    const roster = resignRoster(issued.roster, ann, { keyCommitment: otherCommitment });
    const grant = resignGrant(k.grant, ann, { rosterHash: rosterHash(unwire<Roster>(roster)) });
    expectRefusal(() => accept(issued, bob, pinsOf(ann), { roster, grant }), 'DECRYPT_FAILED', 'shareErrorKeyCommitment');
  });

  it('refuses a grant for another roster, epoch or container', () => {
    const issued = annShare();
    const other = annShare();
    expectRefusal(() => accept(issued, bob, pinsOf(ann), { grant: keyFor(other, bob).grant, sealedKey: keyFor(other, bob).sealedKey }), 'DECRYPT_FAILED', 'shareErrorBrokenChain');
    // Signed by Ann and naming this roster's hash, but another epoch or container than the roster's.
    const grant = keyFor(issued, bob).grant;
    expectRefusal(() => accept(issued, bob, pinsOf(ann), { grant: resignGrant(grant, ann, { epoch: 2 }) }), 'DECRYPT_FAILED', 'shareErrorBrokenChain');
    expectRefusal(() => accept(issued, bob, pinsOf(ann), { grant: resignGrant(grant, ann, { container: 'c-2' }) }), 'DECRYPT_FAILED', 'shareErrorBrokenChain');
  });

  it('reports a damaged statement as damaged', () => {
    const issued = annShare();
    expectRefusal(() => verifyRoster({ roster: 'not-json', pins: pinsOf(ann), me: bob }), 'CORRUPT_RECORD', 'shareErrorDamaged');
    const r = unwire<Roster>(issued.roster);
    expectRefusal(() => verifyRoster({ roster: wire({ ...r, members: [...r.members].reverse() }), pins: pinsOf(ann), me: bob }), 'CORRUPT_RECORD', 'shareErrorDamaged');
    expectRefusal(() => verifyRoster({ roster: wire({ ...r, prevRosterHash: r.keyCommitment }), pins: pinsOf(ann), me: bob }), 'CORRUPT_RECORD', 'shareErrorDamaged');
    expectRefusal(() => verifyRoster({ roster: wire({ ...r, extra: 1 }), pins: pinsOf(ann), me: bob }), 'CORRUPT_RECORD', 'shareErrorDamaged');
    expectRefusal(() => accept(issued, bob, pinsOf(ann), { sealedKey: 'a' }), 'CORRUPT_RECORD', 'shareErrorDamaged');
    // Size bound before any parsing: 2,000 well-formed members with long ids pass 1,000,000 characters.
    const zero = 'A'.repeat(43);
    const members = Array.from({ length: 2000 }, (_, i) => ({ userId: String(i).padStart(6, '0') + 'x'.repeat(120), role: 'read', boxPublicKey: zero, signingPublicKey: zero, grantedBy: 'g'.repeat(128) }));
    const huge = wire({ ...r, members });
    expect(huge.length).toBeGreaterThan(1_000_000);
    expectRefusal(() => verifyRoster({ roster: huge, pins: pinsOf(ann), me: bob }), 'CORRUPT_RECORD', 'shareErrorDamaged');
  });
});

describe('later epochs', () => {
  function rotated() {
    const first = annShare();
    const second = rotateShare({ previous: first.verified, me: ann, remove: [carol.userId], add: [], pins: pinsOf(bob, carol), now: NOW + 1 });
    return { first, second };
  }

  it('accepts the next epoch signed by a member with grant, chaining by hash', () => {
    const { first, second } = rotated();
    const e1 = accept(first, bob, pinsOf(ann));
    const e2 = accept(second, bob, pinsOf(ann), { previous: e1.roster });
    expect(equalBytes(e2.shareKey, second.shareKey)).toBe(true);
    expect(e2.roster.roster.prevRosterHash).toBe(e1.roster.hash);
    // Bob (grant since epoch 1) rotates next, and Ann accepts it from her verified epoch 2.
    const third = rotateShare({ previous: e2.roster, me: bob, remove: [], add: [], pins: pinsOf(ann), now: NOW + 2 });
    expect(accept(third, ann, pinsOf(bob), { previous: second.verified }).roster.roster.epoch).toBe(3);
  });

  it('refuses a replayed old epoch', () => {
    const { first, second } = rotated();
    const e2 = accept(second, bob, pinsOf(ann), { previous: accept(first, bob, pinsOf(ann)).roster });
    expectRefusal(() => accept(first, bob, pinsOf(ann), { previous: e2.roster }), 'DECRYPT_FAILED', 'shareErrorReplayed');
    expectRefusal(() => accept(second, bob, pinsOf(ann), { previous: e2.roster }), 'DECRYPT_FAILED', 'shareErrorReplayed');
  });

  it('refuses an epoch that does not chain: another previous hash, a gap, another container', () => {
    const { first, second } = rotated();
    const prev = accept(first, bob, pinsOf(ann)).roster;
    const otherHash = resignRoster(second.roster, ann, { prevRosterHash: rosterHash(unwire<Roster>(annShare().roster)) });
    expectRefusal(() => verifyRoster({ roster: otherHash, previous: prev, pins: pinsOf(ann), me: bob }), 'DECRYPT_FAILED', 'shareErrorBrokenChain');
    const gap = resignRoster(second.roster, ann, { epoch: 3 });
    expectRefusal(() => verifyRoster({ roster: gap, previous: prev, pins: pinsOf(ann), me: bob }), 'DECRYPT_FAILED', 'shareErrorBrokenChain');
    const moved = resignRoster(second.roster, ann, { container: 'c-2' });
    expectRefusal(() => verifyRoster({ roster: moved, previous: prev, pins: pinsOf(ann), me: bob }), 'DECRYPT_FAILED', 'shareErrorBrokenChain');
    // Control: the untouched roster chains.
    expect(verifyRoster({ roster: second.roster, previous: prev, pins: pinsOf(ann), me: bob }).roster.epoch).toBe(2);
  });

  it('refuses a next epoch signed by a member without grant, or whose grant had ended, even if I pinned them', () => {
    const first = annShare();
    const prev = accept(first, bob, pinsOf(ann)).roster;
    const forged = rotateShare({ previous: first.verified, me: ann, remove: [], add: [], pins: new Map(), now: NOW + 1 });
    const byCarol = resignRoster(forged.roster, carol, { signer: carol.userId });
    expectRefusal(() => verifyRoster({ roster: byCarol, previous: prev, pins: pinsOf(ann, carol), me: bob }), 'DECRYPT_FAILED', 'shareErrorSignerNotAllowed');

    const timed = createShare({ container: 'c-9', me: ann, members: [asNewMember(bob, 'grant', NOW + 10), asNewMember(carol, 'read')], pins: new Map(), now: NOW });
    const carolPrev = accept(timed, carol, pinsOf(ann)).roster;
    const lateByBob = rotateShare({ previous: timed.verified, me: ann, remove: [], add: [], pins: new Map(), now: NOW + 20 });
    const late = resignRoster(lateByBob.roster, bob, { signer: bob.userId });
    expectRefusal(() => verifyRoster({ roster: late, previous: carolPrev, pins: pinsOf(ann, bob), me: carol }), 'DECRYPT_FAILED', 'shareErrorSignerNotAllowed');
    // Control: signed while Bob's grant still ran.
    const inTime = resignRoster(lateByBob.roster, bob, { signer: bob.userId, signedAt: NOW + 5 });
    expect(verifyRoster({ roster: inTime, previous: carolPrev, pins: pinsOf(ann, bob), me: carol }).roster.signer).toBe(bob.userId);
  });

  it('refuses a next epoch whose signature does not verify under the signer’s key in the previous roster', () => {
    const { first, second } = rotated();
    const prev = accept(first, bob, pinsOf(ann)).roster;
    const byEve = resignRoster(second.roster, eve, {});
    expectRefusal(() => verifyRoster({ roster: byEve, previous: prev, pins: pinsOf(ann), me: bob }), 'DECRYPT_FAILED', 'shareErrorForged');
  });
});

describe('a member added within an epoch', () => {
  it('trusts a roster they cannot check through the grant of a pinned connection that names its hash', () => {
    const issued = annShare();
    const bobView = accept(issued, bob, pinsOf(ann));
    const forDave = grantShareKey({ roster: bobView.roster, shareKey: bobView.shareKey, me: bob, member: asNewMember(dave, 'write'), pins: pinsOf(dave), now: NOW + 1 });
    const input = { roster: issued.roster, grant: forDave.grant, sealedKey: forDave.sealedKey, me: dave };
    const got = acceptShareKey({ ...input, pins: pinsOf(bob) });
    expect(equalBytes(got.shareKey, issued.shareKey)).toBe(true);
    expect(got.role).toBe('write');
    expect(got.grantedBy).toBe(bob.userId);
    // Dave knows neither Ann nor Bob: refused.
    expectRefusal(() => acceptShareKey({ ...input, pins: new Map() }), 'DECRYPT_FAILED', 'shareErrorNotPinned');
    // A grant that names another roster does not vouch for this one.
    const otherHash = resignGrant(forDave.grant, bob, { rosterHash: rosterHash(unwire<Roster>(annShare().roster)) });
    expectRefusal(() => acceptShareKey({ ...input, grant: otherHash, pins: pinsOf(bob) }), 'DECRYPT_FAILED', 'shareErrorNotPinned');
    // Carol (read, pinned by Dave) cannot vouch.
    const byCarol = resignGrant(forDave.grant, carol, { signer: carol.userId });
    expectRefusal(() => acceptShareKey({ ...input, grant: byCarol, pins: pinsOf(carol) }), 'DECRYPT_FAILED', 'shareErrorSignerNotAllowed');
    // The voucher's signature must verify under the pinned key.
    const byEve = resignGrant(forDave.grant, eve, {});
    expectRefusal(() => acceptShareKey({ ...input, grant: byEve, pins: pinsOf(bob) }), 'DECRYPT_FAILED', 'shareErrorForged');
  });
});
