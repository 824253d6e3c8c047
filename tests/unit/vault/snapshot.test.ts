import { describe, expect, it } from 'vitest';
import { generateKey } from '../../../lib/crypto/keys';
import { DEFAULT_AUTOLOGIN, type EntrySummary } from '../../../lib/model/entry';
import { openSnapshot, sealSnapshot } from '../../../lib/vault/snapshot';

const summary = (id: string, over: Partial<EntrySummary> = {}): EntrySummary => ({
  id, revision: 2, updatedAt: 10, title: `T ${id}`, username: 'u', urls: ['https://a.example'], tags: ['t'], folder: 'F', autologin: { ...DEFAULT_AUTOLOGIN }, hasPassword: true, ...over,
});

describe('overview snapshot', () => {
  it('keeps the trash mark and the conflict mark, alone and together', () => {
    const key = generateKey();
    const all = [summary('a'), summary('b', { trashedAt: 1234 }), summary('c', { conflictOf: 'a' }), summary('d', { conflictOf: 'a', trashedAt: 99 })];
    const opened = openSnapshot(key, sealSnapshot(key, all))!;
    for (const s of all) expect(opened.get(s.id)).toEqual(s);
    expect(opened.get('a')).not.toHaveProperty('trashedAt');
  });
});
