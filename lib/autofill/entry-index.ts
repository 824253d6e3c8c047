// Finds the entries of a page without walking the whole vault: entries are filed under each saved
// host (and, in domain mode, under the registrable domain), so a lookup touches a handful of them
// even with 10,000 entries. Ranking and the final yes/no are match.ts's.
import type { EntrySummary } from '../model/entry';
import { placeOfPage, placeOfSaved, rankEntries, registrableDomain } from './match';

export interface EntryIndex {
  /** Entries that match the page, best first. */
  matches(pageUrl: string): EntrySummary[];
  size: number;
  /**
   * Match patterns (https only, any port) that cover every page where an entry with autologin on
   * could fill on load: where the browser should have the core ready at document_start. Wider
   * than the match itself on purpose (ports, paths); the background decides every fill.
   */
  autologinPatterns: string[];
}

/** Hosts a match pattern can name (IPv6 and trailing-dot hosts are left to the injection at commit). */
const PATTERN_HOST = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/;

export function createEntryIndex(entries: readonly EntrySummary[]): EntryIndex {
  const byKey = new Map<string, EntrySummary[]>();
  const add = (key: string, e: EntrySummary) => {
    const list = byKey.get(key);
    if (!list) byKey.set(key, [e]);
    else if (list[list.length - 1] !== e) list.push(e);
  };
  const patterns = new Set<string>();
  for (const e of entries) {
    for (const url of e.urls) {
      const place = placeOfSaved(url);
      if (!place) continue;
      add(place.hostname, e);
      const domain = e.autologin.match === 'domain' && !place.isIp ? registrableDomain(place.hostname) : null;
      if (domain) add(`.${domain}`, e);
      if (!e.autologin.enabled || !PATTERN_HOST.test(place.hostname)) continue;
      // Fill on load is for https pages only; an entry saved on http fills its site moved to https.
      if (domain) patterns.add(`https://*.${domain}/*`);
      else patterns.add(`https://${place.hostname}/*`);
    }
  }
  return {
    size: entries.length,
    autologinPatterns: [...patterns].sort(),
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
