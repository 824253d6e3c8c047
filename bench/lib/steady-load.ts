// A steady offered load: `clients` keep-alive connections, each sending one request every
// clients/rate seconds from a random start, so the server sees a smooth `rate` requests/s.
// (autocannon's rate limit sends each connection's quota in bursts, which measures a burst, not a
// load: even a bare server shows a p99 of 60-80 ms that way.) Latency is counted from when a
// request was due, so a slow answer delays and counts against the next ones.
import http from 'node:http';

export interface SteadyResult {
  /** Requests answered per second. */
  rps: number;
  total: number;
  p50: number;
  p99: number;
  bad: number;
}

export async function steadyLoad(url: string, headers: Record<string, string>, clients: number, rate: number, seconds: number): Promise<SteadyResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const get = () =>
    new Promise<number>((resolve, reject) => {
      const req = http.get(url, { agent, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
    });
  const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - performance.now())));
  const interval = (1000 * clients) / rate;
  const latencies: number[] = [];
  let bad = 0;
  // Open the connections first, then measure.
  await Promise.all(Array.from({ length: clients }, () => get().catch(() => 0)));
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      let due = start + Math.random() * interval;
      while (due < end) {
        await sleepUntil(due);
        try {
          if ((await get()) !== 200) bad++;
        } catch {
          bad++;
        }
        latencies.push(performance.now() - due);
        due += interval;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! * 10) / 10;
  return { rps: latencies.length / elapsed, total: latencies.length, p50: at(0.5), p99: at(0.99), bad };
}
