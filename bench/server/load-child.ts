// autocannon in a process of its own, so it can be pinned to the load generator's core(s): reads
// its options as JSON from argv[2], prints the figures as one JSON line.
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2]!) as Parameters<typeof autocannon>[0];
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
