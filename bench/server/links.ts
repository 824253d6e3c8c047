// Link shares (issue 12): reveals under 50 concurrent clients on SQLite and PostgreSQL, next to a
// bare node:http server answering the same bytes, measured in the same run, with the exact count of
// successes (each link has 25 uses and gets 30 reveals, so exactly 25 per link must succeed); and
// the pick-up page's weight and its time from load to the PIN field being ready in Chromium.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import pg from 'pg';
import { buildLink, linkUrl } from '../../lib/sharing/link-format';
import { buildPickupPage, pageWeight } from '../../server/pickup/build';
import { judge, type Row } from '../lib/report';
import { summarize } from '../lib/stats';
import { cpuPlan } from './cpus';
import { startChild, type Child } from './process';

const b64 = (n: number) => randomBytes(n).toString('base64url');
const CLIENTS = 50;
const USES = 25;
const TRIES_PER_LINK = 30;

interface Reveal {
  id: string;
  lookupTag: string;
  proof: string;
}

async function trpc<T>(base: string, path: string, input: unknown, token?: string, address?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(address ? { 'x-forwarded-for': address } : {}) },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** A new account: its session token and its user id (also its personal container's id). */
async function signUp(base: string): Promise<{ token: string; userId: string }> {
  const username = `bench${randomBytes(3).toString('hex')}`;
  const { body } = await trpc<{ result: { data: { token: string; userId: string } } }>(base, 'account.register', {
    username, email: `${username}@example.com`, authKey: b64(32), salt: b64(16),
    kdf: { algorithm: 'argon2id', memoryKiB: 65536, passes: 3, lanes: 4 }, wrappedUserKey: b64(72),
    identity: { boxPublicKey: b64(32), signingPublicKey: b64(32), sealedPrivateKeys: b64(120) },
  });
  return { token: body.result.data.token, userId: body.result.data.userId };
}

/** Links as the server sees them (it checks no cryptography, only what it keeps hashes of). */
async function createLinks(base: string, { token, userId }: { token: string; userId: string }, count: number): Promise<Reveal[]> {
  const record = b64(16);
  await trpc(base, 'vault.put', { container: userId, id: record, baseRevision: 0, keyEpoch: 0, data: b64(64) }, token);
  const links: Reveal[] = [];
  for (let i = 0; i < count; i++) {
    const link = { id: b64(16), lookupTag: b64(32), proof: b64(32) };
    const { status } = await trpc(base, 'links.create', {
      ...link, serverShare: b64(32), meta: b64(90), payload: b64(1200), protection: 'pin',
      kdf: { salt: b64(16), memoryKib: 65536, passes: 3, lanes: 4 }, maxUses: USES, expiresAt: Date.now() + 3600_000, recordIds: [record],
    }, token);
    if (status !== 200) throw new Error(`links.create answered ${status}`);
    links.push(link);
  }
  return links;
}

/** 50 clients, each POSTing its next reveal as soon as the last one answered. Each request comes from its own address. */
async function hammer(url: string, bodies: string[]): Promise<{ rps: number; p99: number; p50: number; ok: number; refused: number }> {
  let next = 0;
  let ok = 0;
  let refused = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (;;) {
        const i = next++;
        if (i >= bodies.length) return;
        const start = performance.now();
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }, body: bodies[i] });
        await res.arrayBuffer();
        latencies.push(performance.now() - start);
        if (res.status === 200) ok++;
        else if (res.status === 404) refused++;
        else throw new Error(`reveal answered ${res.status}`);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  return { rps: bodies.length / seconds, p99: sorted[Math.floor(sorted.length * 0.99)]!, p50: sorted[Math.floor(sorted.length / 2)]!, ok, refused };
}

async function startBare(base: string, sample: Reveal): Promise<Child> {
  const res = await fetch(`${base}/trpc/links.reveal`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.255.255.254' }, body: JSON.stringify(sample) });
  const file = join(mkdtempSync(join(tmpdir(), 'latchkey-bench-bare-')), 'body');
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    if (!['content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding'].includes(k)) headers[k] = v;
  });
  return startChild(['bench/server/bare.ts'], { BARE_BODY: file, BARE_HEADERS: JSON.stringify(headers) }, cpuPlan().server);
}

export interface LinkBenchOptions {
  databases: ('sqlite' | 'postgres')[];
  links: number;
  repeats: number;
  pageRepeats: number;
  log: (s: string) => void;
}

async function revealRows(o: LinkBenchOptions): Promise<Row[]> {
  const rows: Row[] = [];
  let cluster: { url: string; stop(): Promise<void> } | undefined;
  try {
    for (const db of o.databases) {
      let databaseUrl = '';
      if (db === 'postgres') {
        const { startPostgres } = (await import('../../scripts/pg.mjs')) as { startPostgres(options?: { pin?: string[] }): Promise<{ url: string; stop(): Promise<void> }> };
        cluster = await startPostgres({ pin: cpuPlan().server });
        const admin = new pg.Client({ connectionString: cluster.url.replace(/\/[^/]+$/, '/postgres') });
        await admin.connect();
        await admin.query('DROP DATABASE IF EXISTS latchkey_bench_links');
        await admin.query('CREATE DATABASE latchkey_bench_links');
        await admin.end();
        databaseUrl = cluster.url.replace(/\/[^/]+$/, '/latchkey_bench_links');
      }
      const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-bench-links-'));
      // Behind "our proxy", so each request can come from its own address (50 clients, not one).
      const server = await startChild(['server/index.ts'], { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: databaseUrl, TRUST_PROXY: '1' }, cpuPlan().server);
      let bare: Child | undefined;
      try {
        const ours: Awaited<ReturnType<typeof hammer>>[] = [];
        const base: Awaited<ReturnType<typeof hammer>>[] = [];
        for (let r = 0; r < o.repeats; r++) {
          o.log(`links: ${db}, repeat ${r + 1}: creating ${o.links} links`);
          // A sender per repeat: one account may create 200 links an hour.
          const links = await createLinks(server.url, await signUp(server.url), o.links);
          const bodies = links.flatMap((l) => Array.from({ length: TRIES_PER_LINK }, () => JSON.stringify(l))).sort(() => Math.random() - 0.5);
          bare ??= await startBare(server.url, { id: b64(16), lookupTag: b64(32), proof: b64(32) });
          ours.push(await hammer(`${server.url}/trpc/links.reveal`, bodies));
          base.push(await hammer(`${bare.url}/trpc/links.reveal`, bodies));
          const last = ours.at(-1)!;
          if (last.ok !== o.links * USES) throw new Error(`${last.ok} reveals succeeded, expected exactly ${o.links * USES}`);
        }
        const rps = summarize(ours.map((x) => x.rps));
        const bareRps = summarize(base.map((x) => x.rps));
        const label = db === 'sqlite' ? 'SQLite' : 'PostgreSQL';
        rows.push(
          judge({
            group: `links ${label}`,
            name: `link reveal with 50 concurrent clients (${o.links} links × ${TRIES_PER_LINK} reveals, ${USES} uses each)`,
            unit: 'req/s',
            value: rps,
            baseline: { name: 'bare node:http', value: bareRps },
            ratio: rps.median / bareRps.median,
            ratioText: 'of bare',
            note:
              `successes ${ours.map((x) => x.ok).join(', ')} of ${o.links * TRIES_PER_LINK} each run (exactly ${o.links * USES} expected: met), the rest NOT_FOUND; ` +
              `p50 ${summarize(ours.map((x) => x.p50)).median.toFixed(1)} ms, p99 ${summarize(ours.map((x) => x.p99)).median.toFixed(1)} ms; ` +
              `bare p50 ${summarize(base.map((x) => x.p50)).median.toFixed(1)} ms, p99 ${summarize(base.map((x) => x.p99)).median.toFixed(1)} ms; ` +
              `50 fetch clients in the bench process (not pinned), server pinned as: ${cpuPlan().note}`,
          }),
        );
        rows.push(
          judge({
            group: `links ${label}`,
            name: 'link reveal p99 with 50 concurrent clients',
            unit: 'ms',
            value: summarize(ours.map((x) => x.p99)),
            baseline: { name: 'bare node:http p99', value: summarize(base.map((x) => x.p99)) },
          }),
        );
      } finally {
        await bare?.stop();
        await server.stop();
      }
      if (cluster) {
        await cluster.stop();
        cluster = undefined;
      }
    }
  } finally {
    await cluster?.stop();
  }
  return rows;
}

/**
 * The least a page can do before its field is ready, served from this process: an HTML page, one
 * module script that POSTs once and then adds a field. What the machine and the browser cost alone.
 */
async function startBarePage(): Promise<{ url: string; server: http.Server }> {
  const html = '<!doctype html><html><head><meta charset="utf-8"><script type="module" src="/a.js"></script></head><body></body></html>';
  const js = "await (await fetch('/m', { method: 'POST', body: '{}' })).json(); const i = document.createElement('input'); i.id = 'secret'; document.body.append(i); i.focus(); performance.mark('latchkey-pickup-ready');";
  const server = http.createServer((req, res) => {
    const [type, body] = req.url === '/a.js' ? ['text/javascript', js] : req.method === 'POST' ? ['application/json', '{}'] : ['text/html', html];
    req.resume();
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

async function pageRows(o: LinkBenchOptions): Promise<Row[]> {
  const page = await buildPickupPage();
  const weight = pageWeight(page);
  const argon = [...page.assets.entries()].filter(([name]) => !page.initial.includes(name)).map(([, a]) => a.gzip.length);
  const rows: Row[] = [
    judge({
      group: 'links page',
      name: 'pick-up page weight until the PIN field (HTML + JS + CSS, gzipped)',
      unit: 'KB',
      value: summarize([weight.initialGzipBytes / 1024]),
      targets: [{ on: 'value', op: '<=', limit: 30, text: '< 30 KB' }],
      note: `lazily loaded on use, not counted here: ${argon.map((n) => `${(n / 1024).toFixed(1)} KB`).join(', ')} (Argon2 WebAssembly on Reveal, the entries view, papaparse on CSV); everything together ${(weight.totalGzipBytes / 1024).toFixed(1)} KB`,
    }),
  ];
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-bench-page-'));
  const server = await startChild(['server/index.ts'], { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '' });
  const bare = await startBarePage();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const { token, userId } = await signUp(server.url);
    const record = b64(16);
    await trpc(server.url, 'vault.put', { container: userId, id: record, baseRevision: 0, keyEpoch: 0, data: b64(64) }, token);
    const built = await buildLink({ entries: [{ title: 'Bench', username: 'u', password: 'p', urls: [] }], meta: { title: 'Bench link' }, protection: { kind: 'pin', pin: '12345' } });
    await trpc(server.url, 'links.create', { ...built.request, maxUses: 1, expiresAt: Date.now() + 3600_000, recordIds: [record] }, token);
    const url = linkUrl(server.url, built.id, built.secret);
    const samples: number[] = [];
    const bareSamples: number[] = [];
    // The page marks the moment its field is ready; read afterwards, so the measuring's own round
    // trips (which grow on a loaded machine) are not counted. Visits alternate with the bare page.
    const visit = async (target: string, selector: string) => {
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(target, { waitUntil: 'commit' });
      await tab.waitForSelector(selector, { state: 'visible' });
      const ms = await tab.evaluate(() => performance.getEntriesByName('latchkey-pickup-ready')[0]?.startTime ?? performance.now());
      await context.close();
      return ms;
    };
    for (let i = 0; i <= o.pageRepeats; i++) {
      const ms = await visit(url, '#secret');
      const bareMs = await visit(`${bare.url}/l/x`, '#secret');
      // The first visit warms the server's and Chromium's caches.
      if (i > 0) {
        samples.push(ms);
        bareSamples.push(bareMs);
      }
    }
    rows.push(
      judge({
        group: 'links page',
        name: 'pick-up page: load → PIN field ready (Chromium, fresh context)',
        unit: 'ms',
        value: summarize(samples),
        baseline: { name: 'bare page (HTML, one module script, one POST, one field)', value: summarize(bareSamples) },
        ratio: summarize(samples).median / summarize(bareSamples).median,
        ratioText: 'of bare',
        targets: [{ on: 'value', op: '<=', limit: 300, text: '< 300 ms' }],
        note: `navigation start to the PIN field ready (metadata fetched, the title decrypted), marked by the page itself; ${samples.length} visits after one warm-up, loopback server, alternating with the bare page in the same browser`,
      }),
    );
  } finally {
    await browser.close();
    await server.stop();
    await new Promise((resolve) => bare.server.close(resolve));
  }
  return rows;
}

export async function runLinkBench(o: LinkBenchOptions): Promise<Row[]> {
  return [...(await pageRows(o)), ...(await revealRows(o))];
}
