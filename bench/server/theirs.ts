// Runs the server's own benchmark (server/bench/changes.ts: the idle "changes since cursor" poll on
// SQLite with 1,000 records, against a bare server) as it is, and reads its BENCH_JSON line into
// rows, so its figures sit in the same table as this harness's wider ones.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { judge, type Row } from '../lib/report';
import { summarize } from '../lib/stats';
import { cpuPlan } from './cpus';

const SCRIPT = 'server/bench/changes.ts';

interface TheirRow {
  server: string;
  connections: number;
  /** Requests/s offered in total, or 'max'. */
  offered?: number | 'max';
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

export async function runTheirServerBench(seconds: number, log: (s: string) => void): Promise<Row[]> {
  if (!existsSync(SCRIPT)) return [];
  log(`server: ${SCRIPT} (BENCH_SECONDS=${seconds})`);
  const out = await new Promise<string>((resolve, reject) => {
    // Pinned like ours (cpus.ts): the script and its autocannon on the load core, its servers on the server core.
    const { load, server } = cpuPlan();
    const command = [...load, process.execPath, '--import', 'tsx', SCRIPT];
    const env = { ...process.env, BENCH_SECONDS: String(seconds), BENCH_SERVER_PIN: server.join(' ') };
    const child = spawn(command[0]!, command.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), 180_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(text);
      else reject(new Error(`${SCRIPT} exited with ${code}: ${text.slice(-400)}`));
    });
  });
  const line = out.split('\n').find((l) => l.startsWith('BENCH_JSON '));
  if (!line) throw new Error(`${SCRIPT} printed no BENCH_JSON line`);
  const { rows } = JSON.parse(line.slice('BENCH_JSON '.length)) as { rows: TheirRow[] };
  const result: Row[] = [];
  for (const r of rows.filter((x) => x.server === 'latchkey')) {
    const offered = r.offered ?? 'max';
    const bare = rows.find((x) => x.server !== 'latchkey' && x.connections === r.connections && (x.offered ?? 'max') === offered);
    if (r.errors > 0) throw new Error(`${SCRIPT}: ${r.errors} failed requests at c=${r.connections}`);
    const top = r.connections === 200;
    const base = `${SCRIPT}: nothing new, 1k records, c=${r.connections}`;
    if (offered === 'max') {
      result.push(
        judge({
          group: 'server SQLite (server/bench)',
          name: `${base}: throughput`,
          unit: 'req/s',
          value: summarize([r.requestsPerSecond]),
          baseline: bare ? { name: 'bare node:http', value: summarize([bare.requestsPerSecond]) } : undefined,
          ratio: bare ? r.requestsPerSecond / bare.requestsPerSecond : undefined,
          ratioText: 'of bare',
          targets: top
            ? [
                { on: 'ratio', op: '>=', limit: 0.5, text: '≥ 0.5× bare' },
                { on: 'value', op: '>=', limit: 3000, text: '≥ 3,000 req/s' },
              ]
            : undefined,
          note: `one ${seconds} s run after a 1 s warm-up, the server engineer's own method; p50 ${r.p50} ms, p99 ${r.p99} ms; bare p99 ${bare?.p99 ?? '?'} ms; ${cpuPlan().note}`,
        }),
      );
    } else {
      result.push(
        judge({
          group: 'server SQLite (server/bench)',
          name: `${base} offering ${offered.toLocaleString('en-US')} req/s: p99 latency`,
          unit: 'ms',
          value: summarize([r.p99]),
          baseline: bare ? { name: 'bare node:http', value: summarize([bare.p99]) } : undefined,
          ratio: bare ? r.p99 / bare.p99 : undefined,
          ratioText: 'of bare',
          targets: top ? [{ on: 'value', op: '<=', limit: 25, text: '≤ 25 ms' }] : undefined,
          note: `one ${seconds} s run; served ${r.requestsPerSecond} req/s, p50 ${r.p50} ms`,
        }),
      );
    }
  }
  return result;
}
