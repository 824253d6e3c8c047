import { describe, expect, it } from 'vitest';
import { createEntryIndex } from '../../../lib/autofill/entry-index';
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

  it('looks up one site among 10,000 entries quickly', () => {
    const entries = Array.from({ length: 10_000 }, (_, i) => summary([`https://login.site${i}.com/`], i % 2 ? 'domain' : 'host'));
    entries.push(...Array.from({ length: 500 }, () => summary(['https://bank.com'])));
    const index = createEntryIndex(entries);
    index.matches('https://bank.com/');
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) index.matches('https://bank.com/login');
    const each = (performance.now() - t0) / 100;
    expect(index.matches('https://bank.com/login')).toHaveLength(500);
    expect(index.matches('https://login.site42.com/')).toHaveLength(1);
    expect(each).toBeLessThan(5);
  });
});
