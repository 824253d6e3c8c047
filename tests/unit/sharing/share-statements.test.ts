import { describe, expect, it } from 'vitest';
import { createShare } from '../../../lib/sharing/share-epoch';
import { decodeGrant, decodeRoster, rosterHash, type Roster } from '../../../lib/sharing/share-statements';
import { verifyRoster } from '../../../lib/sharing/share-verify';
import { asNewMember, expectRefusal, person, pinsOf, unwire, wire } from './share-fixtures';

const ann = person('ann');
const bob = person('bob');
const issued = createShare({ container: 'c-1', me: ann, members: [asNewMember(bob, 'write', 5000)], pins: new Map(), now: 1234 });

describe('share statements on the wire', () => {
  it('round-trip as base64url JSON with every field', () => {
    expect(issued.roster).toMatch(/^[A-Za-z0-9_-]+$/);
    const roster = decodeRoster(issued.roster);
    expect(roster.members[1]).toEqual({ ...asNewMember(bob, 'write', 5000), grantedBy: 'u-ann' });
    expect(roster.members[1]).toMatchObject({ userId: 'u-bob', role: 'write', expiresAt: 5000 });
    expect(decodeGrant(issued.keys[1]!.grant)).toMatchObject({ v: 1, kind: 'grant', container: 'c-1', epoch: 1, to: 'u-bob', role: 'write', expiresAt: 5000, signer: 'u-ann', signedAt: 1234 });
  });

  it('sign the fields, not the JSON text: key order and spacing change nothing, a value does', () => {
    const r = unwire<Roster>(issued.roster);
    const reordered = Buffer.from(JSON.stringify(Object.fromEntries(Object.entries(r).reverse()), null, 2)).toString('base64url');
    expect(verifyRoster({ roster: reordered, pins: pinsOf(ann), me: bob }).hash).toBe(issued.verified.hash);
    expect(rosterHash({ ...r, signedAt: r.signedAt + 1 })).not.toBe(issued.verified.hash);
  });

  it('refuse keys in a non-canonical spelling and unknown roles', () => {
    const r = unwire<Roster>(issued.roster);
    // The last base64url character of a 32-byte key carries 2 unused bits; setting one is another spelling.
    const k = r.keyCommitment;
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = k.slice(0, -1) + last[last.indexOf(k.at(-1)!) ^ 1];
    expectRefusal(() => decodeRoster(wire({ ...r, keyCommitment: respelled })), 'CORRUPT_RECORD', 'shareErrorDamaged');
    expectRefusal(() => decodeRoster(wire({ ...r, members: r.members.map((m) => ({ ...m, role: 'owner' })) })), 'CORRUPT_RECORD', 'shareErrorDamaged');
  });
});
