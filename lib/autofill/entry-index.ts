// Finds the entries of a page without walking the whole vault: entries are filed under each saved
// host (and, in domain mode, under the registrable domain), so a lookup touches a handful of them
// even with 10,000 entries. Ranking and the final yes/no are match.ts's.
import type { EntrySummary } from '../model/entry';
import { placeOfPage, placeOfSaved, rankEntries, registrableDomain } from './match';

export interface EntryIndex {
  /** Entries that match the page, best first. */
  matches(pageUrl: string): EntrySummary[];
  size: number;
}

export function createEntryIndex(entries: readonly EntrySummary[]): EntryIndex {
  const byKey = new Map<string, EntrySummary[]>();
  const add = (key: string, e: EntrySummary) => {
    const list = byKey.get(key);
    if (!list) byKey.set(key, [e]);
    else if (list[list.length - 1] !== e) list.push(e);
  };
  for (const e of entries) {
    for (const url of e.urls) {
      const place = placeOfSaved(url);
      if (!place) continue;
      add(place.hostname, e);
      if (e.autologin.match === 'domain' && !place.isIp) {
        const domain = registrableDomain(place.hostname);
        if (domain) add(`.${domain}`, e);
      }
    }
  }
  return {
    size: entries.length,
    matches(pageUrl) {
      const page = placeOfPage(pageUrl);
      if (!page) return [];
      const found = new Set<EntrySummary>(byKey.get(page.hostname) ?? []);
      const domain = page.isIp ? null : registrableDomain(page.hostname);
      if (domain) for (const e of byKey.get(`.${domain}`) ?? []) found.add(e);
      return rankEntries([...found], pageUrl);
    },
  };
}
