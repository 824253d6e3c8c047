// Who a request comes from, for rate limits: the client address in one spelling per address, and
// the key limits count under, which for IPv6 is the /64 (one subscriber's network: a client can
// pick any address in it) and for IPv4 the address.
import type { IncomingMessage } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail becomes the last two). */
function ipv6Groups(address: string): number[] | null {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail].map((g) => Number.parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/**
 * One spelling per address: IPv4 as is, IPv4-mapped IPv6 (::ffff:192.0.2.1, ::ffff:c000:201) as
 * the IPv4 address it is, other IPv6 as eight lower-case hex groups without zone. Anything else
 * (which a socket does not give) comes back lower-cased.
 */
export function normalizeAddress(address: string): string {
  const bare = address.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return bare;
  const groups = ipv6Groups(bare);
  if (!groups) return bare;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi, lo] = [groups[6]!, groups[7]!];
    return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  }
  return groups.map((g) => g.toString(16)).join(':');
}

/** What per-address limits count under: the IPv4 address, or the IPv6 address's /64. */
export function addressKey(address: string): string {
  const normal = normalizeAddress(address);
  if (!normal.includes(':')) return normal;
  const groups = ipv6Groups(normal);
  return groups ? `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64` : normal;
}

/** The client's address: the socket's, or behind a proxy you run, the one it appended. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const list = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',');
    // The right-most entry is the one our own proxy appended; the rest are the client's say-so.
    const last = list.map((s) => s.trim()).filter(Boolean).pop();
    if (last) return normalizeAddress(last);
  }
  return normalizeAddress(req.socket.remoteAddress ?? 'unknown');
}
