import { describe, expect, it } from 'vitest';
import { rankEntries } from '../../../lib/autofill/match';
import type { EntrySummary } from '../../../lib/model/entry';
import { buildListing, filterListing, haystackOf, NO_FILTER, searchTerms } from '../../../lib/vault/search';
import { rankForPage } from '../../../lib/vault/site-rank';

let n = 0;
function summary(over: Partial<EntrySummary> = {}): EntrySummary {
  n++;
  return {
    id: `id-${String(n).padStart(5, '0')}`,
    revision: 1,
    updatedAt: 0,
    hasPassword: true,
    title: `Entry ${n}`,
    username: '',
    urls: [],
    tags: [],
    folder: '',
    autologin: { enabled: false, autoSubmit: false, match: 'host' },
    ...over,
  };
}

const titles = (items: readonly { summary: EntrySummary }[]) => items.map((i) => i.summary.title);

describe('buildListing', () => {
  it('sorts by title, case-insensitively', () => {
    const listing = buildListing([summary({ title: 'zoo' }), summary({ title: 'Apple' }), summary({ title: 'banana' })]);
    expect(titles(listing.items)).toEqual(['Apple', 'banana', 'zoo']);
  });

  it('puts the current site’s entries first, best match first, each marked', () => {
    const entries = [
      summary({ title: 'A other', urls: ['https://other.org'] }),
      summary({ title: 'B domain', urls: ['https://www.example.com'], autologin: { enabled: false, autoSubmit: false, match: 'domain' } }),
      summary({ title: 'C exact', urls: ['https://login.example.com'] }),
      summary({ title: 'D host-only elsewhere', urls: ['https://www.example.com'] }),
    ];
    const listing = buildListing(entries, { pageUrl: 'https://login.example.com/signin', rank: rankEntries });
    expect(titles(listing.items)).toEqual(['C exact', 'B domain', 'A other', 'D host-only elsewhere']);
    expect(listing.items.map((i) => i.site)).toEqual([true, true, false, false]);
    expect(listing.siteCount).toBe(2);
  });

  it('lists folders and tags with counts, each entry counted once per tag', () => {
    const listing = buildListing([
      summary({ folder: 'Work', tags: ['email', 'email'] }),
      summary({ folder: 'Work', tags: ['bank'] }),
      summary({ folder: 'Home', tags: ['email'] }),
      summary({ folder: '' }),
    ]);
    expect(listing.folders).toEqual([{ name: 'Home', count: 1 }, { name: 'Work', count: 2 }]);
    expect(listing.tags).toEqual([{ name: 'bank', count: 1 }, { name: 'email', count: 2 }]);
  });
});

describe('filterListing', () => {
  const entries = [
    summary({ title: 'GitHub', username: 'octo@mail.test', urls: ['https://github.com/login'], tags: ['work', 'code'], folder: 'Work' }),
    summary({ title: 'Bank', username: 'me', urls: ['https://bank.example'], tags: ['money'], folder: 'Home' }),
    summary({ title: 'Mail', username: 'octo', urls: ['https://mail.test'], tags: ['work'], folder: 'Work' }),
  ];
  const { items } = buildListing(entries);

  it('matches title, username, URLs and tags, ignoring case', () => {
    expect(titles(filterListing(items, { ...NO_FILTER, query: 'GITHUB' }))).toEqual(['GitHub']);
    expect(titles(filterListing(items, { ...NO_FILTER, query: 'octo' }))).toEqual(['GitHub', 'Mail']);
    expect(titles(filterListing(items, { ...NO_FILTER, query: 'bank.example' }))).toEqual(['Bank']);
    expect(titles(filterListing(items, { ...NO_FILTER, query: 'money' }))).toEqual(['Bank']);
  });

  it('needs every word of the query, in any field', () => {
    expect(titles(filterListing(items, { ...NO_FILTER, query: '  work   mail ' }))).toEqual(['GitHub', 'Mail']);
    expect(titles(filterListing(items, { ...NO_FILTER, query: 'work bank' }))).toEqual([]);
  });

  it('does not match a term across two fields', () => {
    expect(filterListing(items, { ...NO_FILTER, query: 'bankme' })).toHaveLength(0);
    expect(haystackOf(entries[1]!)).toBe('bank\nme\nhttps://bank.example\nmoney');
  });

  it('filters by folder and tag, with the query', () => {
    expect(titles(filterListing(items, { ...NO_FILTER, folder: 'Work' }))).toEqual(['GitHub', 'Mail']);
    expect(titles(filterListing(items, { ...NO_FILTER, tag: 'code' }))).toEqual(['GitHub']);
    expect(titles(filterListing(items, { query: 'mail', folder: 'Work', tag: 'work' }))).toEqual(['GitHub', 'Mail']);
    expect(titles(filterListing(items, { query: '', folder: 'Home', tag: 'work' }))).toEqual([]);
  });

  it('returns the listing itself when nothing filters', () => {
    expect(filterListing(items, NO_FILTER)).toBe(items);
    expect(searchTerms('   ')).toEqual([]);
  });
});

describe('at 10,000 entries', () => {
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
  const many = Array.from({ length: 10_000 }, (_, i) =>
    summary({
      title: `${words[i % 10]} ${words[(i * 7) % 10]} account ${i}`,
      username: `user${i}@${words[(i * 3) % 10]}.example`,
      urls: [`https://${words[i % 10]}.site${i % 500}.example/login`],
      tags: [words[(i * 5) % 10]!],
      folder: words[(i * 9) % 10]!,
      autologin: { enabled: false, autoSubmit: false, match: i % 4 ? 'host' : 'domain' },
    }),
  );
  const site = { pageUrl: 'https://golf.site16.example/', rank: rankForPage };

  // How fast: npm run bench measures popup open and search per keystroke against their targets.
  it('indexes 10,000 entries with the current site first', () => {
    const listing = buildListing(many, site);
    expect(listing.items).toHaveLength(10_000);
    expect(listing.siteCount).toBe(many.filter((e) => rankEntries([e], site.pageUrl).length).length);
    expect(listing.items[0]!.summary.urls[0]).toBe('https://golf.site16.example/login');
  });

  it('filters 10,000 entries as a search is typed', () => {
    const { items } = buildListing(many, site);
    let query = '';
    for (const ch of 'user12@hotel') {
      query += ch;
      for (const hit of filterListing(items, { query, folder: null, tag: null })) expect(hit.haystack).toContain(query);
    }
    expect(filterListing(items, { query: 'user1234@', folder: null, tag: null }).map((i) => i.summary.username)).toEqual([
      'user1234@charlie.example',
    ]);
  });
});
