// The HTTP server: tRPC under /trpc (queries, mutations, server-sent events), the link pick-up page
// under /l/ (server/pickup), /healthz, and the
// things every response needs: security headers, CORS for the extension, a bounded request body.
import '../lib/i18n/node-catalogue.ts';
import http from 'node:http';
import type { TRPCError } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { contextFromRequest, createContextFactory } from './context.ts';
import type { Deps } from './deps.ts';
import { createQueryFastPath } from './fast-query.ts';
import { pickupPage, servePickup } from './pickup/serve.ts';
import { appRouter, directQueries } from './routers/_app.ts';
import { createCallerFactory } from './trpc.ts';

const MAX_BATCH_SIZE = 50;
/**
 * The calls that may send a body over the usual limit, unbatched at their exact path: the vault's
 * sealed overview, and a share's signed roster with a sealed key and grant for each of up to
 * 2,000 members (about 3 MB).
 */
const LARGE_BODY_PATHS = new Set(['/trpc/vault.putSnapshot', '/trpc/shares.create', '/trpc/shares.grant', '/trpc/shares.rotate']);
const createCaller = createCallerFactory(appRouter);

/** Extension pages (popup, options) send an Origin like chrome-extension://<id>. */
const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension|safari-web-extension):\/\/[A-Za-z0-9-]{1,64}$/;

const subscriptions = new Set(
  Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)
    .filter(([, procedure]) => procedure._def.type === 'subscription')
    .map(([name]) => name),
);

const sseResponses = new WeakMap<http.Server, Set<http.ServerResponse>>();

const SECURITY_HEADERS = [
  'X-Content-Type-Options', 'nosniff',
  'X-Frame-Options', 'DENY',
  'Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'Referrer-Policy', 'no-referrer',
  'Cross-Origin-Opener-Policy', 'same-origin',
  'Cache-Control', 'no-store',
];
const CORS_HEADERS = [
  'Access-Control-Allow-Methods', 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers', 'authorization, content-type, trpc-accept, last-event-id, x-trpc-source',
  'Access-Control-Max-Age', '600',
];

/**
 * The headers every response carries, as a flat [name, value, …] list: security headers, CORS for
 * extension pages, HSTS only over TLS (on plain http it would be ignored at best). The lists are
 * kept per origin (a handful: the extension's own), so a request builds none.
 */
const headerLists = new Map<string, string[]>();
const MAX_HEADER_LISTS = 256;

function baseHeaders(req: http.IncomingMessage, trustProxy: boolean): { headers: string[]; corsAllowed: boolean } {
  const origin = req.headers.origin;
  const corsAllowed = origin !== undefined && EXTENSION_ORIGIN.test(origin);
  const tls = (req.socket as { encrypted?: boolean }).encrypted === true || (trustProxy && req.headers['x-forwarded-proto'] === 'https');
  if (!corsAllowed && !tls) return { headers: SECURITY_HEADERS, corsAllowed };
  const key = `${tls ? 's' : ''}:${corsAllowed ? origin : ''}`;
  let headers = headerLists.get(key);
  if (!headers) {
    headers = [...SECURITY_HEADERS];
    if (corsAllowed) headers.push('Access-Control-Allow-Origin', origin, ...CORS_HEADERS);
    if (tls) headers.push('Strict-Transport-Security', 'max-age=31536000');
    // Made-up origins cannot grow this without bound.
    if (headerLists.size >= MAX_HEADER_LISTS) headerLists.clear();
    headerLists.set(key, headers);
  }
  return { headers, corsAllowed };
}

function setHeaders(res: http.ServerResponse, headers: string[]): void {
  for (let i = 0; i < headers.length; i += 2) res.setHeader(headers[i]!, headers[i + 1]!);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(body));
}

/** The same shape a tRPC error has, so the client reports it like any other. */
function tooLarge(req: http.IncomingMessage, res: http.ServerResponse, maxBytes: number): void {
  const message = `The request is larger than ${Math.floor(maxBytes / 1024)} KiB. Send fewer records per call.`;
  sendJson(res, 413, { error: { code: -32413, message, data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413, appCode: 'TOO_LARGE' } } });
  // Read (and drop) a bounded amount of the body so the client gets to see the answer.
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > 8 * maxBytes) req.destroy();
  });
  req.resume();
}

export function createServer(deps: Deps): http.Server {
  const { config } = deps;
  const trpcOptions = {
    router: appRouter,
    createContext: createContextFactory(deps),
    basePath: '/trpc/',
    maxBatchSize: MAX_BATCH_SIZE,
    onError({ error, path }: { error: TRPCError; path?: string }) {
      // Expected failures (bad input, wrong password, conflicts) are answers, not incidents.
      if (error.code !== 'INTERNAL_SERVER_ERROR') return;
      const cause = error.cause ?? error;
      console.error(`[latchkey] ${path ?? '(unknown procedure)'} failed: ${cause.stack ?? cause.message}`);
    },
  };
  const trpc = createHTTPHandler({ ...trpcOptions, maxBodySize: config.maxBodyBytes });
  // Only the LARGE_BODY_PATHS, unbatched, may send the larger body.
  const trpcLarge = createHTTPHandler({ ...trpcOptions, maxBodySize: config.maxSnapshotBodyBytes });
  const bodyLimit = (path: string) => (LARGE_BODY_PATHS.has(path) ? config.maxSnapshotBodyBytes : config.maxBodyBytes);
  const fastQuery = createQueryFastPath(appRouter, createCaller, (req) => contextFromRequest(deps, req), MAX_BATCH_SIZE, directQueries);
  const streams = new Set<http.ServerResponse>();
  /** Server-sent events (live updates) stay open: tracked so shutdown can end them. */
  const trackStream = (res: http.ServerResponse) => {
    streams.add(res);
    res.once('close', () => streams.delete(res));
  };

  /**
   * What the fast road did not answer, tRPC does (nothing has been written yet). That includes a
   * subscription asked for without `Accept: text/event-stream`, which tRPC streams all the same.
   */
  function handOver(req: http.IncomingMessage, res: http.ServerResponse, headers: string[], procedure: string): void {
    setHeaders(res, headers);
    if (subscriptions.has(procedure)) trackStream(res);
    trpc(req, res);
  }

  const server = http.createServer((req, res) => {
    const { headers, corsAllowed } = baseHeaders(req, config.trustProxy);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const maxBytes = bodyLimit(path);
    if (Number(req.headers['content-length'] ?? 0) > maxBytes) {
      setHeaders(res, headers);
      tooLarge(req, res, maxBytes);
      return;
    }
    if (path.startsWith('/trpc/') && req.method === 'GET' && !req.headers.accept?.includes('text/event-stream')) {
      // Plain queries: the fast road writes `headers` itself, or hands over having written nothing.
      const procedure = path.slice('/trpc/'.length);
      const answered = fastQuery(req, res, procedure, headers);
      if (answered === false) handOver(req, res, headers, procedure);
      else if (answered !== true) void answered.then((done) => done || handOver(req, res, headers, procedure), () => handOver(req, res, headers, procedure));
      return;
    }
    setHeaders(res, headers);
    res.setHeader('Vary', 'Origin');
    if (req.method === 'OPTIONS') {
      res.statusCode = corsAllowed ? 204 : 403;
      res.end();
      return;
    }
    if (path === '/healthz') {
      sendJson(res, 200, { ok: true });
      return;
    }
    if (path.startsWith('/l/')) {
      servePickup(req, res, path);
      return;
    }
    if (path.startsWith('/trpc/')) {
      if (req.method === 'GET') trackStream(res);
      (LARGE_BODY_PATHS.has(path) ? trpcLarge : trpc)(req, res);
      return;
    }
    sendJson(res, 404, { error: { message: 'Not found' } });
  });
  sseResponses.set(server, streams);
  // Build the pick-up page now, so its first visitor does not wait (a failure is reported then).
  pickupPage().catch(() => {});
  return server;
}

/**
 * Stop accepting connections, end live-update streams (clients reconnect, to another process if
 * there is one), let requests in flight finish for up to graceMs, then close what is left.
 */
export function shutdown(server: http.Server, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    for (const res of sseResponses.get(server) ?? []) res.end();
    server.closeIdleConnections();
  });
}
