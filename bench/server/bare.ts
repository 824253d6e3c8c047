// The baseline: a bare node:http server answering every request with the bytes the Latchkey server
// sent for the same request (body and headers), so the difference is the server's own work.
// Run as a child process: BARE_BODY=<file> BARE_HEADERS=<json> node --import tsx bench/server/bare.ts
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const body = readFileSync(process.env.BARE_BODY!);
const headers = JSON.parse(process.env.BARE_HEADERS ?? '{}') as Record<string, string>;
const server = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { ...headers, 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  console.log(`bare server listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
