// The load generator in a process of its own, so it can be pinned to the load generator's core(s):
// reads its options as JSON from argv[2], prints the figures as one JSON line. Full speed is
// autocannon; an offered rate (`overallRate`) is a steady load (bench/lib/steady-load.ts).
import autocannon from 'autocannon';
import { steadyLoad } from '../lib/steady-load';

const options = JSON.parse(process.argv[2]!) as Parameters<typeof autocannon>[0] & { url: string; connections: number; duration: number; headers: Record<string, string> };
if (options.overallRate) {
  console.log(JSON.stringify(await steadyLoad(options.url, options.headers, options.connections, options.overallRate, options.duration)));
  process.exit(0);
}
const r = await autocannon(options);
console.log(
  JSON.stringify({
    rps: r.requests.average,
    total: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    bad: r.non2xx + r.errors + r.timeouts,
  }),
);
