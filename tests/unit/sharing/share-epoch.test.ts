import { describe, expect, it } from 'vitest';
import { equalBytes, generateKey } from '../../../lib/crypto';
import { openShareKey } from '../../../lib/crypto/share-key';
import { fromBase64Url } from '../../../lib/crypto/encoding';
import { createShare, grantShareKey, rotateShare } from '../../../lib/sharing/share-epoch';
import { decodeGrant, decodeRoster } from '../../../lib/sharing/share-statements';
import { acceptShareKey } from '../../../lib/sharing/share-verify';
import { asNewMember, expectRefusal, person, pinsOf, type Person } from './share-fixtures';

const ann = person('ann');
const bob = person('bob');
const carol = person('carol');
const dave = person('dave');
const eve = person('eve');
const NOW = 1_700_000_000_000;

function first() {
  return createShare({ container: 'c-1', me: ann, members: [asNewMember(carol, 'read'), asNewMember(bob, 'grant')], pins: pinsOf(bob, carol), now: NOW });
}

describe('creating a share', () => {
  it('lists me with grant and every member sorted, and seals one key per member, me included', () => {
    const issued = first();
    const roster = decodeRoster(issued.roster);
    expect(roster).toEqual(issued.verified.roster);
    expect(roster.members.map((m) => [m.userId, m.role, m.grantedBy])).toEqual([
      ['u-ann', 'grant', 'u-ann'], ['u-bob', 'grant', 'u-ann'], ['u-carol', 'read', 'u-ann'],
    ]);
    expect(roster).toMatchObject({ container: 'c-1', epoch: 1, prevRosterHash: null, signer: 'u-ann', signedAt: NOW });
    expect(issued.keys.map((k) => k.userId)).toEqual(['u-ann', 'u-bob', 'u-carol']);
    for (const [k, p] of issued.keys.map((k, i) => [k, [ann, bob, carol][i]!] as const)) {
      const key = openShareKey(p.identity.box.privateKey, fromBase64Url(k.sealedKey), { container: 'c-1', epoch: 1, userId: p.userId });
      expect(equalBytes(key, issued.shareKey)).toBe(true);
      expect(decodeGrant(k.grant)).toMatchObject({ to: p.userId, signer: 'u-ann', rosterHash: issued.verified.hash });
    }
  });

  it('refuses a member whose keys are not the pinned ones, and me twice', () => {
    const swapped = { ...asNewMember(eve, 'read'), userId: bob.userId };
    expectRefusal(() => createShare({ container: 'c-1', me: ann, members: [swapped], pins: pinsOf(bob), now: NOW }), 'KEY_MISMATCH', 'shareErrorKeyChanged', 'bob');
    expectRefusal(() => createShare({ container: 'c-1', me: ann, members: [asNewMember(ann, 'read')], pins: new Map(), now: NOW }), 'BAD_INPUT', 'errorBug', 'the creator of a share is a member already');
    expectRefusal(() => createShare({ container: 'c-1', me: ann, members: [asNewMember(bob, 'read'), asNewMember(bob, 'write')], pins: new Map(), now: NOW }), 'BAD_INPUT', 'errorBug', 'a person is listed twice among the members');
    const zero = 'A'.repeat(43);
    const many = Array.from({ length: 2000 }, (_, i) => ({ userId: `u-${i}`, role: 'read' as const, boxPublicKey: zero, signingPublicKey: zero }));
    expectRefusal(() => createShare({ container: 'c-1', me: ann, members: many, pins: new Map(), now: NOW }), 'BAD_INPUT', 'errorBug', 'a share has at most 2000 members');
  });
});

describe('rotating a share', () => {
  it('gives the kept and added members a new key the removed member is sealed nothing of', () => {
    const one = first();
    const two = rotateShare({ previous: one.verified, me: ann, remove: [carol.userId], add: [asNewMember(dave, 'write')], pins: pinsOf(dave), now: NOW + 1 });
    expect(two.epoch).toBe(2);
    expect(equalBytes(two.shareKey, one.shareKey)).toBe(false);
    expect(two.keys.map((k) => k.userId)).toEqual(['u-ann', 'u-bob', 'u-dave']);
    expect(two.verified.roster.prevRosterHash).toBe(one.verified.hash);
    expect(two.verified.roster.members.find((m) => m.userId === dave.userId)).toMatchObject({ role: 'write', grantedBy: 'u-ann' });
    const bobKey = two.keys.find((k) => k.userId === bob.userId)!;
    const bobPrev = acceptShareKey({ roster: one.roster, ...pick(one.keys, bob), pins: pinsOf(ann), me: bob }).roster;
    const got = acceptShareKey({ roster: two.roster, grant: bobKey.grant, sealedKey: bobKey.sealedKey, previous: bobPrev, pins: pinsOf(ann), me: bob });
    expect(equalBytes(got.shareKey, two.shareKey)).toBe(true);
    // Carol's sealed key of epoch 1 is the old key; nothing of epoch 2 is sealed to her.
    const carolOld = openShareKey(carol.identity.box.privateKey, fromBase64Url(pick(one.keys, carol).sealedKey), { container: 'c-1', epoch: 1, userId: carol.userId });
    expect(equalBytes(carolOld, two.shareKey)).toBe(false);
    for (const k of two.keys) {
      expect(() => openShareKey(carol.identity.box.privateKey, fromBase64Url(k.sealedKey), { container: 'c-1', epoch: 2, userId: carol.userId })).toThrow();
    }
  });

  it('changes a role by removing and adding the member again', () => {
    const two = rotateShare({ previous: first().verified, me: ann, remove: [carol.userId], add: [asNewMember(carol, 'write')], pins: pinsOf(carol), now: NOW + 1 });
    expect(two.verified.roster.members.find((m) => m.userId === carol.userId)?.role).toBe('write');
  });

  it('needs grant (current, not ended), and refuses removing myself, strangers, members twice and swapped keys', () => {
    const one = first();
    const base = { previous: one.verified, remove: [], add: [], pins: new Map(), now: NOW + 1 };
    expectRefusal(() => rotateShare({ ...base, me: carol }), 'FORBIDDEN', 'shareErrorNoGrant');
    expectRefusal(() => rotateShare({ ...base, me: eve }), 'FORBIDDEN', 'shareErrorNoGrant');
    const timed = createShare({ container: 'c-2', me: ann, members: [asNewMember(bob, 'grant', NOW + 10)], pins: new Map(), now: NOW });
    expectRefusal(() => rotateShare({ ...base, previous: timed.verified, me: bob, now: NOW + 10 }), 'FORBIDDEN', 'shareErrorNoGrant');
    expect(rotateShare({ ...base, previous: timed.verified, me: bob, now: NOW + 9 }).epoch).toBe(2);
    expectRefusal(() => rotateShare({ ...base, me: ann, remove: [ann.userId] }), 'BAD_INPUT', 'errorBug', 'a rotation cannot remove the member who rotates');
    expectRefusal(() => rotateShare({ ...base, me: ann, remove: [eve.userId] }), 'BAD_INPUT', 'errorBug', 'only members can be removed');
    expectRefusal(() => rotateShare({ ...base, me: ann, add: [asNewMember(bob, 'read')] }), 'BAD_INPUT', 'errorBug', 'that person is a member already');
    const swapped = { ...asNewMember(eve, 'read'), userId: dave.userId };
    expectRefusal(() => rotateShare({ ...base, me: ann, add: [swapped], pins: pinsOf(dave) }), 'KEY_MISMATCH', 'shareErrorKeyChanged', 'dave');
  });
});

describe('granting the current key within an epoch', () => {
  it('needs grant and the key the roster commits to', () => {
    const one = first();
    const base = { roster: one.verified, shareKey: one.shareKey, member: asNewMember(dave, 'read'), pins: new Map(), now: NOW + 1 };
    expect(grantShareKey({ ...base, me: bob }).userId).toBe(dave.userId);
    expectRefusal(() => grantShareKey({ ...base, me: carol }), 'FORBIDDEN', 'shareErrorNoGrant');
    expectRefusal(() => grantShareKey({ ...base, me: ann, shareKey: generateKey() }), 'DECRYPT_FAILED', 'shareErrorKeyCommitment');
    const carolWithEveKeys = { ...asNewMember(eve, 'write'), userId: carol.userId };
    expectRefusal(() => grantShareKey({ ...base, me: ann, member: carolWithEveKeys }), 'KEY_MISMATCH', 'shareErrorKeyChanged', 'u-carol');
  });
});

function pick(keys: { userId: string; sealedKey: string; grant: string }[], p: Person) {
  const k = keys.find((x) => x.userId === p.userId)!;
  return { grant: k.grant, sealedKey: k.sealedKey };
}
