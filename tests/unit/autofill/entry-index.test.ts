import { describe, expect, it } from 'vitest';
import { createEntryIndex } from '../../../lib/autofill/entry-index';
import { patternCovers } from '../../../lib/background/core-registration';
import { rankEntries } from '../../../lib/autofill/match';
import type { EntrySummary } from '../../../lib/model/entry';

let n = 0;
function summary(urls: string[], match: 'host' | 'domain' = 'host'): EntrySummary {
  n++;
  return { id: `e${n}`, revision: 1, updatedAt: n, hasPassword: true, title: `E${n}`, username: `u${n}`, urls, tags: [], folder: '', autologin: { enabled: false, autoSubmit: false, match } };
}

describe('createEntryIndex', () => {
  it('finds exactly what a walk over every entry finds, in the same order', () => {
    const hosts = ['bank.com', 'www.bank.com', 'login.bank.com', 'a.co.uk', 'b.co.uk', 'x.blogspot.com', 'y.blogspot.com', '127.0.0.1', 'localhost'];
    const entries: EntrySummary[] = [];
    for (const h of hosts) {
      for (const scheme of ['https', 'http']) {
        entries.push(summary([`${scheme}://${h}`], 'host'), summary([`${scheme}://${h}:8443/login`], 'domain'), summary([`${h}`], 'domain'));
      }
    }
    const index = createEntryIndex(entries);
    for (const h of hosts) {
      for (const page of [`https://${h}/`, `http://${h}/x`, `https://${h}:8443/login/y`]) {
        expect(index.matches(page).map((e) => e.id), page).toEqual(rankEntries(entries, page).map((e) => e.id));
      }
    }
    expect(index.matches('about:blank')).toEqual([]);
  });

  it('looks up one site among 10,000 entries', () => {
    const entries = Array.from({ length: 10_000 }, (_, i) => summary([`https://login.site${i}.com/`], i % 2 ? 'domain' : 'host'));
    entries.push(...Array.from({ length: 500 }, () => summary(['https://bank.com'])));
    const index = createEntryIndex(entries);
    expect(index.matches('https://bank.com/login')).toHaveLength(500);
    expect(index.matches('https://login.site42.com/')).toHaveLength(1);
  });

  describe('autologinPatterns', () => {
    const on = (e: EntrySummary): EntrySummary => ({ ...e, autologin: { ...e.autologin, enabled: true } });

    it('names the https sites of entries with autologin on (an http entry: its site on https), and nothing else', () => {
      const index = createEntryIndex([
        on(summary(['https://bank.com/login', 'https://login.bank.com:8443/'])),
        on(summary(['http://plain.example/'])),
        on(summary(['http://old.shop.co.uk/'], 'domain')),
        on(summary(['https://127.0.0.1:9000/'])),
        on(summary(['https://[::1]:9000/', 'https://trailing.example./'])),
        summary(['https://off.example/']),
      ]);
      expect(index.autologinPatterns).toEqual(['https://*.shop.co.uk/*', 'https://127.0.0.1/*', 'https://bank.com/*', 'https://login.bank.com/*', 'https://plain.example/*']);
    });

    it('cover every https page where an entry with autologin on matches', () => {
      const hosts = ['bank.com', 'www.bank.com', 'login.bank.com', 'a.co.uk', 'b.co.uk', 'x.blogspot.com', 'y.blogspot.com', '127.0.0.1', 'localhost'];
      const entries: EntrySummary[] = [];
      for (const h of hosts) {
        for (const scheme of ['https', 'http']) entries.push(on(summary([`${scheme}://${h}`], 'host')), on(summary([`${scheme}://${h}:8443/login`], 'domain')));
      }
      const index = createEntryIndex(entries);
      let checked = 0;
      for (const h of hosts) {
        for (const page of [`https://${h}/`, `https://${h}:8443/login/y`, `https://deep.${h}/`]) {
          if (!index.matches(page).some((e) => e.autologin.enabled)) continue;
          checked++;
          expect(index.autologinPatterns.some((p) => patternCovers(p, page)), page).toBe(true);
        }
      }
      expect(checked).toBeGreaterThan(10);
      // A suffix is not a domain: b.co.uk's pattern does not cover a.co.uk.
      expect(patternCovers('https://*.b.co.uk/*', 'https://a.co.uk/')).toBe(false);
      expect(patternCovers('https://*.bank.com/*', 'https://evilbank.com/')).toBe(false);
      expect(patternCovers('https://bank.com/*', 'http://bank.com/')).toBe(false);
    });
  });
});
