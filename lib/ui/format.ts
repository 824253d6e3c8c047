// How entries are shown: hosts, initials, counts. Pure, so the list rows stay cheap.
import { formatNumber, tn } from '../i18n';
import { parseWebAddress } from '../model/address';

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** "https://accounts.example.com/login" -> "accounts.example.com"; anything unparsable as typed. */
export function displayHost(url: string): string {
  const text = url.trim();
  try {
    return new URL(SCHEME.test(text) ? text : `https://${text}`).hostname || text;
  } catch {
    return text;
  }
}

/**
 * A link the popup may open: a web address only (a saved "javascript:" URL must never become a
 * link, nor "not a url" saved before addresses were checked).
 */
export function safeHref(url: string): string | undefined {
  return parseWebAddress(url)?.href;
}

export function initialOf(title: string): string {
  const match = /[\p{L}\p{N}]/u.exec(title);
  return match ? match[0].toUpperCase() : '?';
}

/** A stable hue per title, so an entry keeps its colour between openings. */
export function hueOf(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) >>> 0;
  return h % 360;
}

export function countLabel(shown: number, total: number): string {
  if (shown === total) return tn('entryCount', total);
  return tn('popupShownOfTotal', total, formatNumber(shown));
}
