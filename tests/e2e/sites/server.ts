// Loopback test sites for the autologin end-to-end tests. One server answers plain http and TLS on
// the same port (so "saved on https, page on http" can be the same host and port), a second port
// is another origin, and a third port serves TLS with a certificate Chromium does not trust (the
// "certificate bypassed" case). Pages live in tests/e2e/sites/pages and may use placeholders:
// {{A}} {{B}} {{S}} {{X}} {{PA}} {{PB}} {{PS}} {{PX}} for the origins and ports.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { createServer as createNet, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const PAGES = resolve('tests/e2e/sites/pages');

export interface Submission {
  origin: string;
  path: string;
  body: string;
}

export interface Sites {
  /** http://127.0.0.1:PA */
  A: string;
  /** http://127.0.0.1:PB: another origin (another port). */
  B: string;
  /** https://127.0.0.1:PA: same host and port as A, over TLS (trusted through extraArgs). */
  S: string;
  /** https://127.0.0.1:PX: a certificate Chromium does not trust. */
  X: string;
  ports: { A: number; B: number; X: number };
  /** Chromium flags that trust S's certificate (and only it). */
  chromiumArgs: string[];
  submissions: Submission[];
  /** Serve extra pages by path ("/redirect-to-b" ...). */
  route(path: string, handler: (req: IncomingMessage, res: ServerResponse, origin: string) => void): void;
  close(): Promise<void>;
}

interface Cert {
  key: Buffer;
  cert: Buffer;
  spki: string;
}

function makeCert(dir: string, name: string): Cert {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,IP:127.0.0.2,DNS:localhost',
  ], { stdio: 'ignore' });
  const der = execFileSync('openssl', ['x509', '-in', cert, '-pubkey', '-noout']);
  const spkiDer = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: der });
  return { key: readFileSync(key), cert: readFileSync(cert), spki: createHash('sha256').update(spkiDer).digest('base64') };
}

const listen = (server: NetServer, host = '127.0.0.1') =>
  new Promise<number>((done) => server.listen(0, host, () => done((server.address() as AddressInfo).port)));

export async function startSites(): Promise<Sites> {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-sites-'));
  const trusted = makeCert(dir, 'trusted');
  const untrusted = makeCert(dir, 'untrusted');
  const submissions: Submission[] = [];
  const routes = new Map<string, (req: IncomingMessage, res: ServerResponse, origin: string) => void>();
  const vars: Record<string, string> = {};

  const handler = (tls: boolean) => (req: IncomingMessage, res: ServerResponse) => {
    const origin = `${tls ? 'https' : 'http'}://${req.headers.host}`;
    const url = new URL(req.url ?? '/', origin);
    const custom = routes.get(url.pathname);
    if (custom) return custom(req, res, origin);
    if (req.method === 'POST' || url.pathname.startsWith('/submit')) {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        submissions.push({ origin, path: url.pathname + url.search, body });
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><title>submitted</title><p>Thanks</p>');
      });
      return;
    }
    const file = join(PAGES, url.pathname.replace(/^\/+/, ''));
    if (!file.startsWith(PAGES) || !existsSync(file) || !file.endsWith('.html')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    const html = readFileSync(file, 'utf8').replace(/\{\{(\w+)\}\}/g, (_m, k: string) => vars[k] ?? '');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  };

  const plain = createHttp(handler(false));
  const secure = createHttps({ key: trusted.key, cert: trusted.cert }, handler(true));
  const untrustedServer = createHttps({ key: untrusted.key, cert: untrusted.cert }, handler(true));
  const sockets = new Set<Socket>();
  // One port, two protocols: a TLS ClientHello starts with byte 0x16.
  const dual = createNet((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('readable', () => {
      const first = socket.read(1) as Buffer | null;
      if (!first) return socket.destroy();
      socket.unshift(first);
      (first[0] === 0x16 ? secure : plain).emit('connection', socket);
    });
  });
  const other = createHttp(handler(false));
  const pa = await listen(dual);
  const pb = await listen(other);
  const px = await listen(untrustedServer);
  const A = `http://127.0.0.1:${pa}`;
  const B = `http://127.0.0.1:${pb}`;
  const S = `https://127.0.0.1:${pa}`;
  const X = `https://127.0.0.1:${px}`;
  Object.assign(vars, { A, B, S, X, PA: String(pa), PB: String(pb), PX: String(px) });

  return {
    A,
    B,
    S,
    X,
    ports: { A: pa, B: pb, X: px },
    chromiumArgs: [`--ignore-certificate-errors-spki-list=${trusted.spki}`],
    submissions,
    route: (path, h) => void routes.set(path, h),
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([dual, other, untrustedServer].map((s) => new Promise((done) => s.close(() => done(undefined)))));
    },
  };
}

/** The Playwright worker fixture both end-to-end harnesses use: one set of sites per worker. */
// eslint-disable-next-line no-empty-pattern
export async function sitesPerWorker({}: object, use: (sites: Sites) => Promise<void>): Promise<void> {
  const sites = await startSites();
  await use(sites);
  await sites.close();
}
