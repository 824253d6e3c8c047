import { describe, expect, it } from 'vitest';
import { rankEntries } from '../../../lib/autofill/match';
import type { EntrySummary, MatchMode } from '../../../lib/model/entry';
import { mayMatch, rankForPage, siteKeys } from '../../../lib/vault/site-rank';

const entry = (id: string, urls: string[], match: MatchMode = 'host'): EntrySummary => ({
  id, revision: 1, updatedAt: 0, hasPassword: true, title: id, username: '', urls, tags: [], folder: '',
  autologin: { enabled: false, autoSubmit: false, match },
});

// Saved URLs written to trip a substring prefilter: case, IDN, tabs, percent-encoding, userinfo, IPs.
const SAVED = [
  'https://login.example.com', 'HTTPS://LOGIN.EXAMPLE.COM/path', 'login.example.com', 'https://www.example.com',
  'https://exa\tmple.com', 'https://ex%61mple.com', 'https://example.com.', 'https://example.com@evil.test',
  'https://bücher.de', 'https://xn--bcher-kva.de/shop', 'https://shop.bücher.de', 'https://127.0.0.1:8080',
  'http://0x7f.1:8080', 'https://[::1]', 'https://x.blogspot.com', 'https://y.blogspot.com', 'https://a.co.uk',
  'https://b.co.uk', 'http://login.example.com', 'https://other.test', 'not a url', '',
];
const ENTRIES = SAVED.flatMap((u, i) => [entry(`h${i}`, [u], 'host'), entry(`d${i}`, [u], 'domain')]);
const PAGES = [
  'https://login.example.com/signin', 'https://example.com/', 'http://login.example.com/', 'https://xn--bcher-kva.de/',
  'https://shop.xn--bcher-kva.de/cart', 'https://127.0.0.1:8080/', 'http://127.0.0.1:8080/', 'https://[::1]/',
  'https://x.blogspot.com/', 'https://a.co.uk/', 'chrome://newtab/', 'about:blank',
];

describe('rankForPage', () => {
  it.each(PAGES)('gives exactly rankEntries’ answer on %s', (page) => {
    expect(rankForPage(ENTRIES, page).map((e) => e.id)).toEqual(rankEntries(ENTRIES, page).map((e) => e.id));
  });

  it('keys on the host or the registrable domain, skips the prefilter for IPs, and refuses non-web pages', () => {
    expect(siteKeys('https://a.b.example.co.uk/x')).toEqual({ host: 'a.b.example.co.uk', domain: 'example.co.uk' });
    expect(siteKeys('https://x.blogspot.com/')?.domain).toBe('x.blogspot.com');
    expect(siteKeys('https://10.0.0.1/')).toEqual({ host: '', domain: '' });
    expect(siteKeys('chrome://settings')).toBeUndefined();
    expect(mayMatch('https://other.test', 'example.com')).toBe(false);
    expect(mayMatch('https://ex%61mple.com', 'example.com')).toBe(true);
  });
});
