// Serves the pick-up page: GET /l/<id> (the page; the secret stays in the fragment, which browsers
// never send) and GET /l/assets/<file>. A strict Content-Security-Policy: scripts and styles from
// this origin only (no inline script), WebAssembly allowed for Argon2, requests to this origin only,
// no framing; no referrer; nothing from a third party.
import type http from 'node:http';
import { LINK_ID_PATTERN } from '../../lib/sharing/link-format.ts';
import { buildPickupPage, type Asset, type PickupPage } from './build.ts';

export const PICKUP_CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

let page: Promise<PickupPage> | null = null;

/** The built page, built once per process (start-up calls this so the first visitor does not wait). */
export function pickupPage(): Promise<PickupPage> {
  page ??= buildPickupPage().catch((e: unknown) => {
    page = null;
    throw e;
  });
  return page;
}

function send(req: http.IncomingMessage, res: http.ServerResponse, asset: Asset): void {
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  res.statusCode = 200;
  res.setHeader('Content-Type', asset.type);
  res.setHeader('Content-Security-Policy', PICKUP_CSP);
  res.setHeader('Vary', 'Accept-Encoding');
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  const body = gzip ? asset.gzip : asset.body;
  res.setHeader('Content-Length', body.length);
  res.end(req.method === 'HEAD' ? undefined : body);
}

function notFound(res: http.ServerResponse): void {
  res.statusCode = 404;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end();
}

/** Answers a request under /l/; the security headers are already set by the caller. */
export function servePickup(req: http.IncomingMessage, res: http.ServerResponse, path: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.statusCode = 405;
    res.setHeader('Allow', 'GET, HEAD');
    res.end();
    return;
  }
  const rest = path.slice('/l/'.length);
  pickupPage().then(
    (built) => {
      if (rest.startsWith('assets/')) {
        const asset = built.assets.get(rest.slice('assets/'.length));
        return asset ? send(req, res, asset) : notFound(res);
      }
      return LINK_ID_PATTERN.test(rest) ? send(req, res, built.html) : notFound(res);
    },
    (e: unknown) => {
      console.error(`[latchkey] building the pick-up page failed: ${e instanceof Error ? e.message : String(e)}`);
      res.statusCode = 500;
      res.end();
    },
  );
}
