// The bad-input walk's cases for the shares router and vault.move (bad-input.test.ts runs them):
// valid inputs to start from, every leaf made bad in turn, and the member-list rules zod checks.
import { BIG, mutations, type Case, type Json } from './bad-input-fixtures.ts';
import { b64, recordId } from './helpers.ts';

type Api = () => Record<string, Record<string, (i: Json) => Promise<unknown>>>;

/** The shares router and vault.move (issue 14 step 2): their inputs are all checked before any access. */
export function shareCases({ api, aliceId, bobId, existingId }: { api: Api; aliceId: string; bobId: string; existingId: string }): Record<string, { cases: Case[]; call: (input: Json) => Promise<unknown> }> {
  const member = { userId: bobId, role: 'read', sealedKey: b64(108), grant: b64(400), expiresAt: Date.now() + 3600_000 };
  const keys = [{ ...member, userId: aliceId, role: 'grant', expiresAt: undefined }, member];
  const create = { container: b64(16), roster: b64(300), keys };
  const keyCases = (valid: Record<string, Json>): Case[] => [
    { label: 'a member with role owner', input: { ...valid, keys: [{ ...member, role: 'owner' }] } },
    { label: 'a member twice', input: { ...valid, keys: [member, member] } },
    { label: 'a member with an unknown field', input: { ...valid, keys: [{ ...member, extra: 1 }] } },
    { label: 'a sealed key of 600 bytes', input: { ...valid, keys: [{ ...member, sealedKey: b64(600) }] } },
    { label: 'a grant of 9000 bytes', input: { ...valid, keys: [{ ...member, grant: b64(9000) }] } },
    { label: 'an end date of 1.5', input: { ...valid, keys: [{ ...member, expiresAt: 1.5 }] } },
    { label: 'an end date in the past', input: { ...valid, keys: [{ ...member, expiresAt: 1000 }] } },
    { label: '2001 members', input: { ...valid, keys: Array.from({ length: 2001 }, () => ({ ...member, userId: recordId() })) } },
  ];
  const container = mutations({ container: b64(16) });
  const move = { from: aliceId, to: b64(16), toEpoch: 1, records: [{ id: existingId, fromBaseRevision: 1, data: b64(40) }] };
  return {
    'shares.create': {
      cases: [...mutations(create, { validAlso: { roster: [BIG] } }), ...keyCases(create), { label: 'roster over 750,000 bytes', input: { ...create, roster: b64(750_003) } }, { label: 'an existing id', input: { ...create, container: aliceId, keys: [keys[0]] } }],
      call: (i) => api().shares!.create!(i),
    },
    'shares.get': { cases: container, call: (i) => api().shares!.get!(i) },
    'shares.accept': { cases: container, call: (i) => api().shares!.accept!(i) },
    'shares.decline': { cases: container, call: (i) => api().shares!.decline!(i) },
    'shares.leave': { cases: container, call: (i) => api().shares!.leave!(i) },
    'shares.grant': {
      cases: [...mutations({ container: b64(16), epoch: 1, keys: [member] }), ...keyCases({ container: b64(16), epoch: 1 }), { label: 'epoch 0', input: { container: b64(16), epoch: 0, keys: [member] } }],
      call: (i) => api().shares!.grant!(i),
    },
    'shares.rotate': {
      cases: [...mutations({ ...create, fromEpoch: 1 }, { validAlso: { roster: [BIG] } }), ...keyCases({ ...create, fromEpoch: 1 })],
      call: (i) => api().shares!.rotate!(i),
    },
    'shares.removeMember': { cases: mutations({ container: b64(16), userId: bobId }), call: (i) => api().shares!.removeMember!(i) },
    'vault.move': {
      cases: [
        ...mutations(move),
        { label: 'into the same container', input: { ...move, to: aliceId } },
        { label: 'fromBaseRevision 0', input: { ...move, records: [{ ...move.records[0], fromBaseRevision: 0 }] } },
        { label: 'empty data', input: { ...move, records: [{ ...move.records[0], data: '' }] } },
        { label: 'a record twice', input: { ...move, records: [move.records[0], move.records[0]] } },
        { label: '501 records', input: { ...move, records: Array.from({ length: 501 }, () => ({ ...move.records[0], id: recordId() })) } },
      ],
      call: (i) => api().vault!.move!(i),
    },
  };
}

