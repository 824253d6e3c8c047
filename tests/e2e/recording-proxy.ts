// A loopback HTTP proxy in front of the test server that keeps every request the server receives
// (method, path with its query, body), so a test can scan all of it for plaintext. Responses, live
// event streams included, are piped through as they arrive.
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordingProxy {
  url: string;
  /** Every request so far: "METHOD /path?query\n\nbody", the path and query URL-decoded. */
  readonly requests: string[];
  stop(): Promise<void>;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    const headers: IncomingHttpHeaders = { ...req.headers, host: upstream.host };
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.destroy());
    res.on('close', () => out.destroy());
    req.on('data', (c: Buffer) => {
      chunks.push(c);
      out.write(c);
    });
    req.on('end', () => {
      requests.push(`${req.method} ${decoded(req.url ?? '')}\n\n${Buffer.concat(chunks).toString('utf8')}`);
      out.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function decoded(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}
