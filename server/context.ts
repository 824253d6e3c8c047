// The per-request context: the process's deps, the bearer token (unchecked) and the client address.
// createContextInner is what tests use with createCaller; createContextFactory is the HTTP one.
import type { IncomingMessage } from 'node:http';
import type { CreateHTTPContextOptions } from '@trpc/server/adapters/standalone';
import { clientAddress } from './client-address.ts';
import type { Deps } from './deps.ts';
import { TOKEN_PATTERN } from './sessions.ts';

export interface Context {
  deps: Deps;
  /** The bearer token as sent; authedProcedure checks it against the database. */
  token: string | null;
  /** The client's address (normalized, see client-address.ts), for per-address rate limits. */
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

export function contextFromRequest(deps: Deps, req: IncomingMessage): Context {
  return createContextInner({ deps, token: bearerToken(req.headers.authorization), ip: clientAddress(req, deps.config.trustProxy) });
}

export function createContextFactory(deps: Deps) {
  return ({ req }: CreateHTTPContextOptions): Context => contextFromRequest(deps, req);
}
