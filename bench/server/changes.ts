// "Changes since cursor" on the real server (server/index.ts in its own process) on SQLite and on
// PostgreSQL, under autocannon at several concurrencies, next to a bare node:http server that
// returns the same bytes, measured alternately in the same run. "Nothing new" is the idle poll
// (vault.changes with the user's watermark); "N new" and the full first sync page the personal
// container (vault.containerChanges). The server under test (ours or the
// bare one; PostgreSQL too) runs on one core, autocannon on the other(s): see cpus.ts. Also the
// time of a full first sync.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { judge, type Row } from '../lib/report';
import { growthExponent, summarize, type Summary } from '../lib/stats';
import { cpuPlan } from './cpus';
import { startChild, type Child } from './process';
import { fullSync, idleUrl, PAGE_LIMIT, pageUrl, sealedRecords, seedAccount } from './vault-seed';

export interface ServerBenchOptions {
  databases: ('sqlite' | 'postgres')[];
  /** Vault sizes; the concurrency scan runs at `scanSize`, the others at `growthConcurrency`. */
  sizes: number[];
  scanSize: number;
  concurrencies: number[];
  growthConcurrency: number;
  durationSeconds: number;
  repeats: number;
  /** Records changed since the client's cursor in the measured request. */
  behind: number;
  log: (s: string) => void;
}

const TARGET_RATE = 3000;

interface Load {
  rps: number;
  p50: number;
  p99: number;
  /** CPU time (user + system) the server process used per request, µs; null if unknown. */
  cpuMicros: number | null;
}

const run = promisify(execFile);

/** CPU seconds the process has used so far (Linux /proc; null elsewhere). */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ
  } catch {
    return null;
  }
}

/** autocannon in its own process, pinned to the load generator's core (see cpus.ts). */
async function load(url: string, token: string, connections: number, seconds: number, server: Child, overallRate?: number): Promise<Load> {
  const options = { url, connections, duration: seconds, headers: { authorization: `Bearer ${token}` }, overallRate };
  const command = [...cpuPlan().load, process.execPath, '--import', 'tsx', 'bench/server/load-child.ts', JSON.stringify(options)];
  const before = cpuSeconds(server.proc.pid);
  const { stdout } = await run(command[0]!, command.slice(1), { maxBuffer: 1 << 20 });
  const after = cpuSeconds(server.proc.pid);
  const r = JSON.parse(stdout.trim().split('\n').pop()!) as { rps: number; total: number; p50: number; p99: number; bad: number };
  if (r.bad > 0) throw new Error(`${r.bad} of ${r.total} requests failed against ${url.split('?')[0]} (c=${connections})`);
  // The load child's start-up (before autocannon's first request) is not the server's time.
  const cpuMicros = before === null || after === null || r.total === 0 ? null : ((after - before) * 1e6) / r.total;
  return { rps: r.rps, p50: r.p50, p99: r.p99, cpuMicros };
}

async function startLatchkey(db: 'sqlite' | 'postgres', databaseUrl: string | undefined): Promise<{ child: Child; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-bench-data-'));
  const child = await startChild(
    ['server/index.ts'],
    { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: db === 'postgres' ? databaseUrl : '' },
    cpuPlan().server,
  );
  return { child, dataDir };
}

/** The bare server, answering with exactly what the real one answered to the measured request. */
async function startBare(realUrl: string, token: string): Promise<{ child: Child; bytes: number }> {
  const res = await fetch(realUrl, { headers: { authorization: `Bearer ${token}` } });
  const body = Buffer.from(await res.arrayBuffer());
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    if (!['content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding'].includes(k)) headers[k] = v;
  });
  const file = join(mkdtempSync(join(tmpdir(), 'latchkey-bench-bare-')), 'body');
  writeFileSync(file, body);
  const child = await startChild(['bench/server/bare.ts'], { BARE_BODY: file, BARE_HEADERS: JSON.stringify(headers) }, cpuPlan().server);
  return { child, bytes: body.length };
}

const label = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

/** The median server CPU time per request of some runs, e.g. "62 µs". */
function cpuText(runs: Load[]): string {
  const known = runs.map((r) => r.cpuMicros).filter((x): x is number => x !== null);
  return known.length ? `${summarize(known).median.toFixed(0)} µs` : '?';
}

/** How the figure was taken: cores, and the machine's load when it was. */
const method = () => `${cpuPlan().note}, ours and bare alternating; load average ${loadavg()[0]!.toFixed(1)}`;
const k = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));

export async function runServerBench(o: ServerBenchOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const growth: Record<string, { size: number; rps: Summary; sync: Summary }[]> = {};
  let pgCluster: { url: string; stop(): Promise<void> } | undefined;
  try {
    for (const db of o.databases) {
      let baseUrl: string | undefined;
      if (db === 'postgres') {
        const { startPostgres } = (await import('../../scripts/pg.mjs')) as {
          startPostgres(options?: { pin?: string[] }): Promise<{ url: string; stop(): Promise<void> }>;
        };
        // PostgreSQL shares the server's core: the server under test is Node and its database.
        pgCluster = await startPostgres({ pin: cpuPlan().server });
        baseUrl = pgCluster.url;
      }
      for (const size of o.sizes) {
        const group = `server ${label[db]}`;
        let databaseUrl = baseUrl;
        if (db === 'postgres') {
          // A fresh database per size, so each size starts from an empty server.
          const name = `latchkey_bench_${size}`;
          const admin = new pg.Client({ connectionString: baseUrl!.replace(/\/[^/]+$/, '/postgres') });
          await admin.connect();
          await admin.query(`DROP DATABASE IF EXISTS ${name}`);
          await admin.query(`CREATE DATABASE ${name}`);
          await admin.end();
          databaseUrl = baseUrl!.replace(/\/[^/]+$/, `/${name}`);
        }
        o.log(`server: ${label[db]} with ${size} entries`);
        const { child, dataDir } = await startLatchkey(db, databaseUrl);
        let bare: { child: Child; bytes: number } | undefined;
        try {
          const records = sealedRecords(size);
          const { token, container, head, watermark } = await seedAccount(child.url, records);
          await load(idleUrl(child.url, watermark), token, 10, 1, child); // warm up the server and its pool
          let growthRps: Summary | undefined;
          // The idle poll (nothing new: what every device asks all day) over the whole scan, and a
          // poll with changes to fetch at the top concurrency; other sizes: the idle poll only.
          const cases =
            size === o.scanSize
              ? [{ behind: 0, concurrencies: o.concurrencies }, { behind: o.behind, concurrencies: [Math.max(...o.concurrencies)] }]
              : [{ behind: 0, concurrencies: [o.growthConcurrency] }];
          for (const kase of cases) {
            const at = (base: string) => (kase.behind === 0 ? idleUrl(base, watermark) : pageUrl(base, container, Math.max(0, head - kase.behind)));
            const url = at(child.url);
            bare = await startBare(url, token);
            const bareUrl = at(bare.child.url);
            for (const c of kase.concurrencies) {
              const real: Load[] = [];
              const base: Load[] = [];
              for (let i = 0; i < o.repeats; i++) {
                real.push(await load(url, token, c, o.durationSeconds, child));
                base.push(await load(bareUrl, token, c, o.durationSeconds, bare.child));
              }
              const rps = summarize(real.map((x) => x.rps));
              const bareRps = summarize(base.map((x) => x.rps));
              const p99 = summarize(real.map((x) => x.p99));
              const p50 = summarize(real.map((x) => x.p50));
              const bareP99 = summarize(base.map((x) => x.p99));
              const top = c === 200;
              // The answer's size goes in the note, not the name: a name is the row's key in
              // bench/latest.json, and it must stay the same when the answer's shape changes.
              const what = `changes since cursor, ${kase.behind === 0 ? 'nothing new' : `${kase.behind} new`}, ${k(size)} entries, c=${c}`;
              rows.push(
                judge({
                  group,
                  name: `${what}: throughput`,
                  unit: 'req/s',
                  value: rps,
                  baseline: { name: 'bare node:http', value: bareRps },
                  ratio: rps.median / bareRps.median,
                  ratioText: 'of bare',
                  targets: top
                    ? [
                        { on: 'ratio', op: '>=', limit: 0.5, text: '≥ 0.5× bare' },
                        { on: 'value', op: '>=', limit: 3000, text: '≥ 3,000 req/s' },
                      ]
                    : undefined,
                  note: `answer ${bare.bytes} B; p50 ${p50.median.toFixed(1)} ms, p99 ${p99.median.toFixed(1)} ms; bare p50 ${summarize(base.map((x) => x.p50)).median.toFixed(1)} ms, p99 ${bareP99.median.toFixed(1)} ms; server CPU per request ${cpuText(real)} (bare ${cpuText(base)}); ${method()}`,
                }),
              );
              if (top) {
                // Latency at the target load: 200 clients offering a steady 3,000 req/s in all
                // (open loop, bench/lib/steady-load.ts; autocannon's rate limit sends bursts).
                // At full speed a closed loop of 200 clients waits in the queue by construction
                // (p50 ≥ 200 ÷ throughput), so p99 there says nothing about the target.
                const atRate: Load[] = [];
                const bareAtRate: Load[] = [];
                for (let i = 0; i < Math.max(1, o.repeats - 1); i++) {
                  atRate.push(await load(url, token, c, o.durationSeconds, child, TARGET_RATE));
                  bareAtRate.push(await load(bareUrl, token, c, o.durationSeconds, bare.child, TARGET_RATE));
                }
                const p99r = summarize(atRate.map((x) => x.p99));
                const bareP99r = summarize(bareAtRate.map((x) => x.p99));
                const served = summarize(atRate.map((x) => x.rps));
                rows.push(
                  judge({
                    group,
                    name: `${what.replace(`c=${c}`, `c=${c} offering 3,000 req/s`)}: p99 latency`,
                    unit: 'ms',
                    value: p99r,
                    baseline: { name: 'bare node:http', value: bareP99r },
                    ratio: p99r.median / bareP99r.median,
                    ratioText: 'of bare',
                    targets: [{ on: 'value', op: '<=', limit: 25, text: '≤ 25 ms' }],
                    note: `answer ${bare.bytes} B; served ${served.median.toFixed(0)} req/s of the 3,000 offered; p50 ${summarize(atRate.map((x) => x.p50)).median.toFixed(1)} ms; at full speed p99 was ${p99.median.toFixed(0)} ms (bare ${bareP99.median.toFixed(0)} ms); ${method()}`,
                  }),
                );
              }
              if (kase.behind === 0 && c === o.growthConcurrency) growthRps = rps;
            }
            await bare.child.stop();
            bare = undefined;
          }
          const sync = summarize(await (async () => {
            const out: number[] = [];
            for (let i = 0; i < o.repeats; i++) out.push(await fullSync(child.url, token, container, size));
            return out;
          })());
          rows.push(judge({ group, name: `full first sync of ${k(size)} entries (pages of ${PAGE_LIMIT}, 1 client)`, unit: 'ms', value: sync }));
          if (growthRps) (growth[db] ??= []).push({ size, rps: growthRps, sync });
        } finally {
          await bare?.child.stop();
          await child.stop();
          rmSync(dataDir, { recursive: true, force: true });
        }
      }
    }
  } finally {
    await pgCluster?.stop();
  }
  // How cost grows: per-request cost (1/throughput) and full-sync time against the vault size.
  for (const [db, points] of Object.entries(growth)) {
    if (points.length < 2) continue;
    const first = points[0]!;
    const last = points[points.length - 1]!;
    // The spread of an exponent: its value from the extremes of both ends' repeats.
    const exp = (a: Summary, b: Summary, invert: boolean) => {
      const f = (x: number) => (invert ? 1 / x : x);
      const e = (x: number, y: number) => growthExponent(first.size, f(x), last.size, f(y));
      const ends = [e(a.min, b.max), e(a.max, b.min)];
      return { ...summarize(ends), median: e(a.median, b.median), n: Math.min(a.n, b.n) };
    };
    const reqExp = exp(first.rps, last.rps, true);
    const syncExp = exp(first.sync, last.sync, false);
    const group = `growth ${label[db as 'sqlite' | 'postgres']}`;
    rows.push(
      judge({
        group,
        name: `changes since cursor (nothing new), c=${o.growthConcurrency}: cost per request, ${points.map((p) => k(p.size)).join(' → ')} entries`,
        unit: '',
        value: reqExp,
        baseline: { name: `at ${k(first.size)}`, value: first.rps, unit: 'req/s' },
        ratio: last.rps.median / first.rps.median,
        ratioText: `throughput at ${k(last.size)} vs ${k(first.size)}`,
        targets: [{ on: 'value', op: '<=', limit: 1, text: 'exponent ≤ 1 (linear or better)' }],
        note: `value is the exponent k in cost ∝ entries^k between the smallest and largest vault; ${points.map((p) => `${k(p.size)}: ${p.rps.median.toFixed(0)} req/s`).join(', ')}`,
      }),
      judge({
        group,
        name: `full first sync, ${points.map((p) => k(p.size)).join(' → ')} entries`,
        unit: '',
        value: syncExp,
        baseline: { name: `at ${k(first.size)}`, value: first.sync, unit: 'ms' },
        ratio: last.sync.median / first.sync.median,
        ratioText: `time at ${k(last.size)} vs ${k(first.size)}`,
        targets: [{ on: 'value', op: '<=', limit: 1, text: 'exponent ≤ 1 (linear or better)' }],
        note: `value is the exponent k in time ∝ entries^k; ${points.map((p) => `${k(p.size)}: ${p.sync.median.toFixed(0)} ms`).join(', ')}`,
      }),
    );
  }
  return rows;
}
