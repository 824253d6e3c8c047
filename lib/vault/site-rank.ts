// Ranks the vault for the current tab (used by the background's vault.query).
// rankEntries parses every saved URL and asks the Public Suffix List about each: about 300 ms for
// 10,000 entries with a cold JIT. A substring test first keeps only entries that can match; the
// real matcher then judges those few, so the answer is the same and the cost is a few ms.
import { getDomain } from 'tldts';
import { placeOfPage, rankEntries } from '../autofill/match';
import type { EntrySummary } from '../model/entry';

/** Anything URL() could decode or drop inside a host (non-printable-ASCII, percent): full check. */
const NEEDS_FULL_CHECK = /[^\x21-\x7e]|%/;

export interface SiteKeys {
  /** Entries matched by exact host: their saved URL must contain the page's host. */
  host: string;
  /** Entries matched by registrable domain: their saved URL must contain that domain. */
  domain: string;
}

/**
 * What a saved URL must contain to possibly match this page, per match mode ('' when no prefilter
 * is sound: IP addresses have many spellings); undefined when no entry can match the page at all.
 */
export function siteKeys(pageUrl: string): SiteKeys | undefined {
  const page = placeOfPage(pageUrl);
  if (!page) return undefined;
  if (page.isIp) return { host: '', domain: '' };
  const domain = getDomain(page.hostname, { allowPrivateDomains: true, detectIp: true, validateHostname: true });
  return { host: page.hostname, domain: domain ?? page.hostname };
}

export function mayMatch(savedUrl: string, key: string): boolean {
  return key === '' || NEEDS_FULL_CHECK.test(savedUrl) || savedUrl.toLowerCase().includes(key);
}

/** The entries that fit the page, best first: rankEntries' answer, computed on the candidates only. */
export function rankForPage(entries: readonly EntrySummary[], pageUrl: string): EntrySummary[] {
  const keys = siteKeys(pageUrl);
  if (!keys) return [];
  const candidates = entries.filter((e) => {
    const key = e.autologin.match === 'host' ? keys.host : keys.domain;
    return e.urls.some((u) => mayMatch(u, key));
  });
  return rankEntries(candidates, pageUrl);
}
