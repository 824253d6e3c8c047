// What counts as a web address an entry may hold: http or https (the scheme may be left out, as
// people type "mail.example.com"), with a host name of letters, digits and hyphens, or an IP
// address. Chrome's URL parser takes "not a url" as the host "not%20a%20url", so the URL parser
// alone is not the check. Zod-free: the popup's form uses it too.

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
/** "example.com:8443/x" has a port, not a scheme. */
const HOST_AND_PORT = /^[^/:]+:\d+(\/|$)/;
const LABEL = '[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?';
const HOST = new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.?$`, 'i');

/** The address as a URL, or undefined when it is not a web address. */
export function parseWebAddress(text: string): URL | undefined {
  const trimmed = text.trim();
  if (!trimmed || /\s/.test(trimmed)) return undefined;
  let url: URL;
  try {
    url = new URL(SCHEME.test(trimmed) && !HOST_AND_PORT.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const host = url.hostname;
  if (!host) return undefined;
  if (host.startsWith('[') && host.endsWith(']')) return url; // IPv6, already checked by URL()
  return HOST.test(host) ? url : undefined;
}

export function isWebAddress(text: string): boolean {
  return parseWebAddress(text) !== undefined;
}
