// Whether a saved entry belongs to a page, judged on the frame's own URL (SECURITY.md 4–7).
// Pure: no DOM, no browser API, so the popup, the background and the tests share one answer.
import { getDomain } from 'tldts';
import type { MatchMode } from '../model/entry';

export type { MatchMode };

interface Place {
  protocol: 'http:' | 'https:';
  hostname: string;
  /** '' for the scheme's default port (URL() already folds :443 on https and :80 on http). */
  port: string;
  pathname: string;
  isIp: boolean;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** A page URL we may ever fill on: http(s) only; null, about:, data:, blob:, file: and friends never. */
export function placeOfPage(pageUrl: string): Place | undefined {
  const known = pagePlaces.get(pageUrl);
  if (known !== undefined) return known ?? undefined;
  const place = parsePage(pageUrl);
  remember(pagePlaces, pageUrl, place ?? null);
  return place;
}

function parsePage(pageUrl: string): Place | undefined {
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    return undefined;
  }
  return placeOf(url);
}

/**
 * A saved URL. People type "bank.com" without a scheme; that means https (never http, which would
 * let a saved https login be offered on a downgraded page).
 */
export function placeOfSaved(saved: string): Place | undefined {
  // Matching a site with 500 entries parsed the same saved URLs on every fill: remember them.
  const known = savedPlaces.get(saved);
  if (known !== undefined) return known ?? undefined;
  const place = parseSaved(saved);
  remember(savedPlaces, saved, place ?? null);
  return place;
}

/** Pure functions of a string, remembered up to a bound (a vault's URLs and their hosts). */
const MEMO_LIMIT = 50_000;
const savedPlaces = new Map<string, Readonly<Place> | null>();
const pagePlaces = new Map<string, Readonly<Place> | null>();
const domains = new Map<string, string | null>();
function remember<V>(memo: Map<string, V>, key: string, value: V): void {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
}

function parseSaved(saved: string): Place | undefined {
  const text = saved.trim();
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[^/:]+:\d+(\/|$)/.test(text) ? text : `https://${text}`);
  } catch {
    return undefined;
  }
  return placeOf(url);
}

function placeOf(url: URL): Place | undefined {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const hostname = url.hostname.toLowerCase();
  if (!hostname) return undefined;
  // URL() has already canonicalised IPv4 (0x7f.1 -> 127.0.0.1) and IPv6 ([::ffff:0:1] forms).
  const isIp = hostname.startsWith('[') || IPV4.test(hostname);
  return Object.freeze({ protocol: url.protocol, hostname, port: url.port, pathname: url.pathname, isIp });
}

export function registrableDomain(hostname: string): string | null {
  // Private suffixes count (blogspot.com, github.io): x.blogspot.com and y.blogspot.com are strangers.
  const known = domains.get(hostname);
  if (known !== undefined) return known;
  const domain = getDomain(hostname, { allowPrivateDomains: true, detectIp: true, validateHostname: true });
  remember(domains, hostname, domain);
  return domain;
}

/**
 * Scheme rule shared by both modes: a login saved on https is never offered on http (SECURITY.md 7).
 * The other way is an upgrade, safe and expected (browsers' own password managers allow it): a
 * login saved on http fits its site once that moved to https, on the same port (an explicit port
 * kept, or the default port of each scheme: 80 then 443).
 */
function schemeAllowed(saved: Place, page: Place): boolean {
  return saved.protocol === page.protocol || (saved.protocol === 'http:' && page.protocol === 'https:');
}

function sameHostAndPort(saved: Place, page: Place): boolean {
  return saved.hostname === page.hostname && saved.port === page.port;
}

function sameRegistrableDomain(saved: Place, page: Place): boolean {
  if (saved.isIp || page.isIp) return false; // IPs match exactly or not at all
  if (saved.hostname.endsWith('.') || page.hostname.endsWith('.')) return false;
  if (saved.port !== page.port) return false;
  const a = registrableDomain(saved.hostname);
  const b = registrableDomain(page.hostname);
  return a !== null && a === b;
}

/**
 * How well one entry fits a page: 0 = not at all. Higher is better:
 * exact scheme+host+port beats same registrable domain; a longer shared path prefix breaks ties.
 */
export function matchQuality(entryUrls: readonly string[], mode: MatchMode, pageUrl: string): number {
  const page = placeOfPage(pageUrl);
  if (!page) return 0;
  let best = 0;
  for (const raw of entryUrls) {
    const saved = placeOfSaved(raw);
    if (!saved || !schemeAllowed(saved, page)) continue;
    let score = 0;
    if (sameHostAndPort(saved, page)) score = saved.protocol === page.protocol ? 1000 : 900;
    else if (mode === 'domain' && sameRegistrableDomain(saved, page)) score = 500;
    if (score === 0) continue;
    score += Math.min(99, sharedPathSegments(saved.pathname, page.pathname));
    if (score > best) best = score;
  }
  return best;
}

export function entryMatchesUrl(entryUrls: readonly string[], mode: MatchMode, pageUrl: string): boolean {
  return matchQuality(entryUrls, mode, pageUrl) > 0;
}

function sharedPathSegments(a: string, b: string): number {
  const x = a.split('/').filter(Boolean);
  const y = b.split('/').filter(Boolean);
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

/** The origin a page URL fills for ("https://a.example:8443"), or undefined when nothing may fill there. */
export function fillableOrigin(pageUrl: string): string | undefined {
  const page = placeOfPage(pageUrl);
  if (!page) return undefined;
  return `${page.protocol}//${page.hostname}${page.port ? `:${page.port}` : ''}`;
}

/** Entries that fit a page, best first. Works on anything with urls and autologin.match. */
export function rankEntries<T extends { urls: readonly string[]; autologin: { match: MatchMode } }>(
  entries: readonly T[],
  pageUrl: string,
): T[] {
  if (!placeOfPage(pageUrl)) return [];
  const scored: { e: T; q: number }[] = [];
  for (const e of entries) {
    const q = matchQuality(e.urls, e.autologin.match, pageUrl);
    if (q > 0) scored.push({ e, q });
  }
  scored.sort((a, b) => b.q - a.q);
  return scored.map((s) => s.e);
}
