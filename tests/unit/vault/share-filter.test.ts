// The list's quick filters over shares: "Shared with me", "I shared", "I shared with <person>",
// with their counts, and a filter sent in a message is read strictly.
import { describe, expect, it } from 'vitest';
import type { EntrySummary } from '../../../lib/model/entry';
import type { EntryShareMark } from '../../../lib/messages/share-protocol';
import { buildListing, filterListing, NO_FILTER } from '../../../lib/vault/search';
import { readSharedFilter, shareFacets, sharedMatches } from '../../../lib/vault/share-filter';

function entry(title: string, share?: Partial<EntryShareMark>): EntrySummary {
  return {
    id: title, revision: 1, updatedAt: 0, hasPassword: true, title, username: '', urls: [], tags: [], folder: '',
    autologin: { enabled: false, autoSubmit: false, match: 'host' },
    ...(share ? { share: { container: `c-${title}`, byMe: false, sharedBy: 'me', role: 'grant', with: [], ...share } } : {}),
  };
}

const mine = entry('Mine');
const fromBo = entry('From Bo', { byMe: false, sharedBy: 'bo', role: 'read', with: ['u-me', 'u-cy'] });
const toBo = entry('To Bo', { byMe: true, with: ['u-bo'] });
const toBoAndCy = entry('To Bo and Cy', { byMe: true, with: ['u-bo', 'u-cy', 'u-bo'] });
const all = [mine, fromBo, toBo, toBoAndCy];
const titles = (filter: Parameters<typeof sharedMatches>[1]) => filterListing(buildListing(all).items, { ...NO_FILTER, shared: filter }).map((i) => i.summary.title);

describe('share quick filters', () => {
  it('"Shared with me" selects entries others shared with me, and nothing of mine', () => {
    expect(titles({ kind: 'withMe' })).toEqual(['From Bo']);
  });

  it('"I shared" selects the entries of my shares', () => {
    expect(titles({ kind: 'byMe' })).toEqual(['To Bo', 'To Bo and Cy']);
  });

  it('"I shared with <person>" selects my shares with them only, not their shares with me', () => {
    expect(titles({ kind: 'byMeWith', userId: 'u-cy' })).toEqual(['To Bo and Cy']);
    expect(titles({ kind: 'byMeWith', userId: 'u-bo' })).toEqual(['To Bo', 'To Bo and Cy']);
    expect(titles({ kind: 'byMeWith', userId: 'u-nobody' })).toEqual([]);
  });

  it('no share filter leaves every entry (control), and combines with the search words', () => {
    expect(filterListing(buildListing(all).items, NO_FILTER).map((i) => i.summary.title)).toEqual(['From Bo', 'Mine', 'To Bo', 'To Bo and Cy']);
    expect(filterListing(buildListing(all).items, { ...NO_FILTER, query: 'cy', shared: { kind: 'byMe' } }).map((i) => i.summary.title)).toEqual(['To Bo and Cy']);
  });

  it('counts the entries each filter would show, each person once per entry', () => {
    expect(shareFacets(all)).toEqual({ withMe: 1, byMe: 2, with: [{ name: 'u-bo', count: 2 }, { name: 'u-cy', count: 1 }] });
    expect(buildListing(all).shares).toEqual(shareFacets(all));
    expect(shareFacets([mine])).toEqual({ withMe: 0, byMe: 0, with: [] });
  });

  it('reads a filter from a message strictly: anything else is no filter', () => {
    expect(readSharedFilter({ kind: 'withMe' })).toEqual({ kind: 'withMe' });
    expect(readSharedFilter({ kind: 'byMeWith', userId: 'u-bo' })).toEqual({ kind: 'byMeWith', userId: 'u-bo' });
    for (const bad of [null, undefined, 'withMe', { kind: 'all' }, { kind: 'byMeWith' }, { kind: 'byMeWith', userId: '' }, { kind: 'byMeWith', userId: 7 }]) {
      expect(readSharedFilter(bad)).toBeNull();
    }
  });
});
