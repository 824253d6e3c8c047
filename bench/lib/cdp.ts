// A minimal Chrome DevTools Protocol client over the browser's debugging port, for targets that
// Playwright's CDPSession cannot reach in a persistent context (the extension's service worker).
import { createRequire } from 'node:module';

type WS = {
  send(data: string): void;
  close(): void;
  addEventListener(type: string, fn: (ev: { data: unknown }) => void): void;
  readyState: number;
};

async function webSocket(url: string): Promise<WS> {
  const Native = (globalThis as { WebSocket?: new (u: string) => WS }).WebSocket;
  // Node 20 has no WebSocket without a flag; playwright-core ships the ws package.
  const Ctor = Native ?? (createRequire(import.meta.url)('playwright-core/lib/utilsBundle').ws as new (u: string, o?: unknown) => WS);
  const ws = Native ? new Ctor(url) : new Ctor(url, { perMessageDeflate: false, maxPayload: 512 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve());
    ws.addEventListener('error', (e) => reject(new Error(`CDP connection to ${url} failed: ${String((e as { message?: string }).message ?? '')}`)));
  });
  return ws;
}

export interface TargetInfo {
  id: string;
  type: string;
  url: string;
  title: string;
  webSocketDebuggerUrl?: string;
}

export class CdpClient {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private listeners = new Map<string, Set<(params: any) => void>>();

  private constructor(private ws: WS) {
    ws.addEventListener('message', (ev) => {
      const msg = JSON.parse(String(ev.data));
      if (msg.id !== undefined) {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(`${msg.error.message} (${msg.error.code})`));
        else p?.resolve(msg.result);
      } else if (msg.method) {
        for (const l of this.listeners.get(msg.method) ?? []) l(msg.params);
      }
    });
    ws.addEventListener('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('CDP connection closed'));
      this.pending.clear();
    });
  }

  static async connect(url: string): Promise<CdpClient> {
    return new CdpClient(await webSocket(url));
  }

  send<T = any>(method: string, params: object = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  on(method: string, fn: (params: any) => void): () => void {
    let set = this.listeners.get(method);
    if (!set) this.listeners.set(method, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  close(): void {
    this.ws.close();
  }
}

/** The browser's debugging endpoint, from the DevToolsActivePort file Chromium writes on start. */
export class DebugPort {
  constructor(readonly port: number) {}

  async targets(): Promise<TargetInfo[]> {
    const res = await fetch(`http://127.0.0.1:${this.port}/json/list`);
    return (await res.json()) as TargetInfo[];
  }

  async browser(): Promise<CdpClient> {
    const res = await fetch(`http://127.0.0.1:${this.port}/json/version`);
    const { webSocketDebuggerUrl } = (await res.json()) as { webSocketDebuggerUrl: string };
    return CdpClient.connect(webSocketDebuggerUrl);
  }

  /** Connects to the first target that matches, waiting up to `timeoutMs` for it to appear. */
  async attach(match: (t: TargetInfo) => boolean, timeoutMs = 15_000): Promise<CdpClient> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const t = (await this.targets()).find(match);
      if (t?.webSocketDebuggerUrl) return CdpClient.connect(t.webSocketDebuggerUrl);
      if (Date.now() > until) throw new Error('No matching DevTools target appeared');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Forces a full garbage collection and returns the JS heap in use, in bytes. */
export async function heapAfterGc(client: CdpClient): Promise<number> {
  await client.send('HeapProfiler.enable');
  for (let i = 0; i < 3; i++) await client.send('HeapProfiler.collectGarbage');
  const { usedSize } = await client.send<{ usedSize: number; totalSize: number }>('Runtime.getHeapUsage');
  return usedSize;
}
