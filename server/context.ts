// The per-request context: the process's deps, the bearer token (unchecked) and the client address.
// createContextInner is what tests use with createCaller; createContextFactory is the HTTP one.
import type { IncomingMessage } from 'node:http';
import type { CreateHTTPContextOptions } from '@trpc/server/adapters/standalone';
import type { Deps } from './deps.ts';
import { TOKEN_PATTERN } from './sessions.ts';

export interface Context {
  deps: Deps;
  /** The bearer token as sent; authedProcedure checks it against the database. */
  token: string | null;
  /** The client's address, for per-address rate limits. */
  ip: string;
}

export function createContextInner(opts: { deps: Deps; token?: string | null; ip?: string }): Context {
  return { deps: opts.deps, token: opts.token ?? null, ip: opts.ip ?? '127.0.0.1' };
}

export function bearerToken(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const token = match?.[1];
  return token && TOKEN_PATTERN.test(token) ? token : null;
}

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

function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address.toLowerCase();
}

export function contextFromRequest(deps: Deps, req: IncomingMessage): Context {
  return createContextInner({ deps, token: bearerToken(req.headers.authorization), ip: clientAddress(req, deps.config.trustProxy) });
}

export function createContextFactory(deps: Deps) {
  return ({ req }: CreateHTTPContextOptions): Context => contextFromRequest(deps, req);
}
