// Rotation of a 50-member share (issue 14 benchmark) must stay linear in the members: one seal and
// one grant signature per member, one roster signature. Counted, not timed.
import { describe, expect, it, vi } from 'vitest';
import * as seal from '../../../lib/crypto/seal';
import * as sign from '../../../lib/crypto/sign';
import { createShare, rotateShare } from '../../../lib/sharing/share-epoch';
import { asNewMember, person } from './share-fixtures';

vi.mock('../../../lib/crypto/seal', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../lib/crypto/seal')>();
  return { ...real, sealTo: vi.fn(real.sealTo) };
});
vi.mock('../../../lib/crypto/sign', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../lib/crypto/sign')>();
  return { ...real, sign: vi.fn(real.sign) };
});

const ann = person('ann');
const NOW = 1_700_000_000_000;

function operations(members: number) {
  const people = Array.from({ length: members }, (_, i) => person(`m${String(i).padStart(2, '0')}`));
  const one = createShare({ container: 'c-big', me: ann, members: people.map((p) => asNewMember(p, 'read')), pins: new Map(), now: NOW });
  vi.mocked(seal.sealTo).mockClear();
  vi.mocked(sign.sign).mockClear();
  const two = rotateShare({ previous: one.verified, me: ann, remove: [people[0]!.userId], add: [], pins: new Map(), now: NOW + 1 });
  return { keys: two.keys.length, seals: vi.mocked(seal.sealTo).mock.calls.length, signatures: vi.mocked(sign.sign).mock.calls.length };
}

describe('rotating a share with many members', () => {
  it('seals once and signs once per remaining member, plus one roster signature (50 members)', () => {
    // 50 members + me, one removed: 50 remain.
    expect(operations(50)).toEqual({ keys: 50, seals: 50, signatures: 51 });
    expect(operations(10)).toEqual({ keys: 10, seals: 10, signatures: 11 });
  });
});
