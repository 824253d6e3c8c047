// Benchmark: "changes since cursor" with an empty result — what every idle device asks — against
// the real server (a separate process, SQLite, tRPC, session check, one query) and, in the same
// run, a bare node:http server returning the same bytes (status, headers and body). autocannon at
// 1, 50 and 200 connections as fast as they can go (throughput), then 200 clients sending a steady
// 3,000 requests/s in total (latency at the target load).
//   tsx server/bench/changes.ts    (BENCH_SECONDS=5 per run, BENCH_ROUNDS=3 runs of each, best
//                                  kept; BENCH_BATCHED=1 sends the batched form httpBatchLink uses;
//                                  BENCH_SERVER_PIN="taskset -c 1" pins both servers to a core)
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { steadyLoad } from '../../bench/lib/steady-load.ts';
import { randomBytes } from 'node:crypto';
import { DEFAULT_CONFIG } from '../config.ts';
import { createContextInner } from '../context.ts';
import { openDatabase } from '../db/index.ts';
import { migrateToLatest } from '../db/migrations.ts';
import { loadDeps } from '../deps.ts';
import { appRouter } from '../routers/_app.ts';
import { createCallerFactory } from '../trpc.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = [1, 50, 200];
const TARGET_RATE = 3000;
const CLOCK_TICKS = 100; // USER_HZ on Linux
const b64 = (n: number) => randomBytes(n).toString('base64url');

const BARE_SERVER = `
const http = require('node:http');
const body = Buffer.from(process.env.BODY, 'utf8');
const headers = JSON.parse(process.env.HEADERS);
const server = http.createServer((req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
`;

/** BENCH_SERVER_PIN, e.g. "taskset -c 1": runs both servers on that core (bench/server/cpus.ts). */
const PIN = (process.env.BENCH_SERVER_PIN ?? '').split(' ').filter(Boolean);

function startProcess(args: string[], env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const command = [...PIN, process.execPath, ...args];
  const child = spawn(command[0]!, command.slice(1), { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1]!, child });
    });
    child.once('exit', (code) => reject(new Error(`process exited with ${code}: ${out}`)));
  });
}

async function prepare(dataDir: string): Promise<{ token: string; cursor: number }> {
  const database = openDatabase({ dataDir });
  await migrateToLatest(database.db);
  const deps = await loadDeps(database, { ...DEFAULT_CONFIG, dataDir });
  const createCaller = createCallerFactory(appRouter);
  const anon = createCaller(createContextInner({ deps }));
  const { token, userId } = await anon.account.register({
    username: 'bench',
    email: 'bench@example.com',
    authKey: b64(32),
    salt: b64(16),
    kdf: { algorithm: 'argon2id', memoryKiB: 65536, passes: 3, lanes: 4 },
    wrappedUserKey: b64(72),
    identity: { boxPublicKey: b64(32), signingPublicKey: b64(32), sealedPrivateKeys: b64(120) },
  });
  const api = createCaller(createContextInner({ deps, token }));
  // A realistic vault behind the empty answer: 1,000 records.
  for (let i = 0; i < 2; i++) {
    await api.vault.putMany({ container: userId, records: Array.from({ length: 500 }, () => ({ id: b64(16), baseRevision: 0, keyEpoch: 0, data: b64(600) })) });
  }
  const { cursor } = await api.account.me();
  await database.close();
  return { token, cursor };
}

interface Row {
  server: string;
  connections: number;
  /** Requests/s offered in total, or 'max' (each connection sends again as soon as answered). */
  offered: number | 'max';
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** Server CPU time per request: what one core can serve, whatever else runs on the machine. */
  cpuMicrosPerRequest: number | null;
}

/** CPU seconds (user + system) the process has used so far, from /proc (Linux); null elsewhere. */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** autocannon: every connection sends again as soon as it has its answer. */
async function run(server: string, target: { url: string; pid: number }, connections: number, headers: Record<string, string>): Promise<Row> {
  // A short warm-up so the JIT and the connections are settled before measuring.
  await autocannon({ url: target.url, connections, duration: 1, headers });
  const cpuBefore = cpuSeconds(target.pid);
  const r = await autocannon({ url: target.url, connections, duration: SECONDS, headers });
  const cpuAfter = cpuSeconds(target.pid);
  return {
    server,
    connections,
    offered: 'max',
    requestsPerSecond: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
    cpuMicrosPerRequest: cpuBefore === null || cpuAfter === null ? null : Math.round(((cpuAfter - cpuBefore) * 1e6) / Math.max(1, r.requests.total)),
  };
}

/** A steady offered load (bench/lib/steady-load.ts), with the server's CPU time per request. */
async function steady(server: string, target: { url: string; pid: number }, clients: number, rate: number, headers: Record<string, string>): Promise<Row> {
  const cpuBefore = cpuSeconds(target.pid);
  const r = await steadyLoad(target.url, headers, clients, rate, SECONDS);
  const cpuAfter = cpuSeconds(target.pid);
  return {
    server,
    connections: clients,
    offered: rate,
    requestsPerSecond: Math.round(r.rps),
    p50: r.p50,
    p99: r.p99,
    errors: r.bad,
    cpuMicrosPerRequest: cpuBefore === null || cpuAfter === null ? null : Math.round(((cpuAfter - cpuBefore) * 1e6) / Math.max(1, r.total)),
  };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'latchkey-bench-'));
  const children: ChildProcess[] = [];
  try {
    const { token, cursor } = await prepare(dataDir);
    const real = await startProcess(['--import', 'tsx', 'server/index.ts'], { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '' });
    children.push(real.child);
    const path = process.env.BENCH_BATCHED
      ? `/trpc/vault.changes?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { cursor } }))}`
      : `/trpc/vault.changes?input=${encodeURIComponent(JSON.stringify({ cursor }))}`;
    const headers = { authorization: `Bearer ${token}` };
    const sample = await fetch(real.url + path, { headers });
    const body = await sample.text();
    if (sample.status !== 200 || !body.includes('"containers":[]')) throw new Error(`unexpected answer ${sample.status}: ${body}`);
    // Node adds Date, Connection and Keep-Alive to both; everything else is copied.
    const sameHeaders = Object.fromEntries([...sample.headers].filter(([k]) => !['date', 'connection', 'keep-alive'].includes(k)));
    const bare = await startProcess(['-e', BARE_SERVER], { BODY: body, HEADERS: JSON.stringify(sameHeaders) });
    children.push(bare.child);

    console.log(`GET ${path.split('?')[0]} (${body.length} bytes: ${body}), best of ${ROUNDS} runs of ${SECONDS} s, SQLite, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}`);
    // Other work on the machine skews single runs; bare and latchkey alternate ROUNDS times and
    // the best run of each is kept (highest req/s, or lowest p99 at the fixed rate).
    const rows: Row[] = [];
    const better = (r: Row, kept: Row | null, rate?: number) =>
      !kept || (rate ? r.p99 < kept.p99 : r.requestsPerSecond > kept.requestsPerSecond);
    for (const [connections, rate] of [...CONNECTIONS.map((c) => [c, undefined] as const), [200, TARGET_RATE] as const]) {
      let keptBare: Row | null = null;
      let keptReal: Row | null = null;
      for (let i = 0; i < ROUNDS; i++) {
        const measure = (server: string, target: { url: string; pid: number }) =>
          rate ? steady(server, target, connections, rate, headers) : run(server, target, connections, headers);
        const b = await measure('bare node:http', { url: bare.url + path, pid: bare.child.pid! });
        if (better(b, keptBare, rate)) keptBare = b;
        const l = await measure('latchkey', { url: real.url + path, pid: real.child.pid! });
        if (better(l, keptReal, rate)) keptReal = l;
      }
      rows.push(keptBare!, keptReal!);
    }
    console.log('\nserver            connections  offered   req/s   p50 ms   p99 ms   errors   cpu µs/req   vs bare');
    for (const r of rows) {
      const bareRow = rows.find((b) => b.server === 'bare node:http' && b.connections === r.connections && b.offered === r.offered)!;
      const ratio = r.server === 'latchkey' && r.offered === 'max' ? `${Math.round((100 * r.requestsPerSecond) / bareRow.requestsPerSecond)}%` : '';
      console.log(
        `${r.server.padEnd(18)}${String(r.connections).padStart(11)}${String(r.offered).padStart(9)}${String(r.requestsPerSecond).padStart(8)}${String(r.p50).padStart(9)}${String(r.p99).padStart(9)}${String(r.errors).padStart(9)}${String(r.cpuMicrosPerRequest ?? '?').padStart(13)}   ${ratio}`,
      );
    }
    const max200 = rows.find((r) => r.server === 'latchkey' && r.connections === 200 && r.offered === 'max')!;
    const bare200 = rows.find((r) => r.server === 'bare node:http' && r.connections === 200 && r.offered === 'max')!;
    const atTarget = rows.find((r) => r.server === 'latchkey' && r.offered === TARGET_RATE)!;
    const verdict = {
      '>= 3,000 req/s with 200 clients': max200.requestsPerSecond >= TARGET_RATE,
      'p99 < 25 ms with 200 clients at 3,000 req/s': atTarget.p99 < 25 && atTarget.requestsPerSecond >= TARGET_RATE * 0.97,
      '>= half the bare server with 200 clients': max200.requestsPerSecond >= bare200.requestsPerSecond / 2,
    };
    const cpu = (server: string) => {
      const values = rows.filter((r) => r.server === server && r.cpuMicrosPerRequest).map((r) => r.cpuMicrosPerRequest!);
      return values.length ? Math.min(...values) : null;
    };
    const [cpuBare, cpuReal] = [cpu('bare node:http'), cpu('latchkey')];
    if (cpuBare && cpuReal) {
      console.log(
        `\nserver CPU per request (best run): bare ${cpuBare} µs, latchkey ${cpuReal} µs: one core serves about ` +
          `${Math.round(1e6 / cpuBare)} and ${Math.round(1e6 / cpuReal)} requests/s (${Math.round((100 * cpuBare) / cpuReal)}%)`,
      );
    }
    console.log('\ntargets:', Object.entries(verdict).map(([k, v]) => `${v ? 'met' : 'MISSED'}: ${k}`).join('; '));
    console.log(`BENCH_JSON ${JSON.stringify({ name: 'server.vault.changes.empty', seconds: SECONDS, rounds: ROUNDS, loadAverage: os.loadavg()[0], rows, verdict })}`);
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
