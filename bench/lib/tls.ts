// A throwaway TLS certificate for *.bench.test, so the benchmark's login pages are https (autologin
// never fills on http) while all traffic stays on 127.0.0.1. Chromium trusts it by its SPKI hash
// (--ignore-certificate-errors-spki-list), which is a trusted certificate to the page, not a
// bypassed error.
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

const DIR = resolve('.tmp/bench/tls');
export const BENCH_DOMAIN = 'bench.test';

export function benchCertificate(): { key: string; cert: string; spki: string } {
  const keyFile = join(DIR, 'key.pem');
  const certFile = join(DIR, 'cert.pem');
  if (!existsSync(certFile)) {
    mkdirSync(DIR, { recursive: true });
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '30',
      '-keyout', keyFile, '-out', certFile, '-subj', `/CN=${BENCH_DOMAIN}`,
      '-addext', `subjectAltName=DNS:${BENCH_DOMAIN},DNS:*.${BENCH_DOMAIN}`,
    ], { stdio: 'ignore' });
  }
  const key = readFileSync(keyFile, 'utf8');
  const cert = readFileSync(certFile, 'utf8');
  const der = createPublicKey(cert).export({ type: 'spki', format: 'der' });
  return { key, cert, spki: createHash('sha256').update(der).digest('base64') };
}

/** Chromium flags: *.bench.test resolves to 127.0.0.1 and its certificate is trusted. */
export function benchHostArgs(spki: string): string[] {
  return [`--host-resolver-rules=MAP *.${BENCH_DOMAIN} 127.0.0.1`, `--ignore-certificate-errors-spki-list=${spki}`];
}

export interface HttpsPages {
  port: number;
  /** https://<host>.bench.test:<port><path> */
  url(host: string, path: string): string;
  put(path: string, html: string): void;
  close(): Promise<void>;
}

export async function serveHttps(): Promise<HttpsPages> {
  const { key, cert } = benchCertificate();
  const pages = new Map<string, string>();
  const server: Server = createServer({ key, cert }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    const html = pages.get(path);
    res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html ?? 'not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (host, path) => `https://${host}.${BENCH_DOMAIN}:${port}${path}`,
    put: (path, html) => pages.set(path, html),
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
