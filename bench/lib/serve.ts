// A loopback HTTP server for the benchmark's own pages (bundles, forms): 127.0.0.1 only.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StaticServer {
  url: string;
  port: number;
  /** Serve `body` at `path` (replaces anything there). */
  put(path: string, body: string | Uint8Array, type?: string): void;
  close(): Promise<void>;
}

export async function serveStatic(): Promise<StaticServer> {
  const files = new Map<string, { body: string | Uint8Array; type: string }>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const f = files.get(path);
    if (!f) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': f.type, 'cache-control': 'no-store' }).end(f.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    put(path, body, type = path.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8') {
      files.set(path, { body, type });
    },
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
