// A small EventSource over fetch, for httpSubscriptionLink: it can send an Authorization header
// (the browser's EventSource cannot) and it works in an MV3 service worker, which has no
// EventSource at all. Like the real one it reconnects with Last-Event-ID after a dropped stream
// and gives up (CLOSED) on an HTTP error.

export interface FetchEventSourceInit {
  /** Sent on every (re)connection; a function is asked again each time. */
  headers?: Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);
  fetch?: typeof fetch;
  /** Wait before reconnecting, unless the server sends `retry:`. */
  retryMs?: number;
  /** Ignored; present for EventSourceInit compatibility. */
  withCredentials?: boolean;
}

export interface SourceEvent {
  type: string;
  data: string;
  lastEventId: string;
}

type Listener = (event: SourceEvent) => void;

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;

export class FetchEventSource {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSED = CLOSED;
  readonly CONNECTING = CONNECTING;
  readonly OPEN = OPEN;
  readonly CLOSED = CLOSED;

  readyState: number = CONNECTING;
  readonly url: string;
  readonly withCredentials = false;

  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly abort = new AbortController();
  private readonly init: FetchEventSourceInit;
  private lastEventId = '';
  private retryMs: number;

  constructor(url: string, init: FetchEventSourceInit = {}) {
    this.url = url;
    this.init = init;
    this.retryMs = init.retryMs ?? 1000;
    void this.run();
  }

  addEventListener(type: string, listener: Listener): void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }

  close(): void {
    this.readyState = CLOSED;
    this.abort.abort();
  }

  private dispatch(type: string, data = ''): void {
    const event: SourceEvent = { type, data, lastEventId: this.lastEventId };
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener(event);
  }

  private async run(): Promise<void> {
    const doFetch = this.init.fetch ?? globalThis.fetch.bind(globalThis);
    while (this.readyState !== CLOSED) {
      try {
        const extra = typeof this.init.headers === 'function' ? await this.init.headers() : (this.init.headers ?? {});
        const headers: Record<string, string> = { ...extra, accept: 'text/event-stream' };
        if (this.lastEventId) headers['last-event-id'] = this.lastEventId;
        const res = await doFetch(this.url, { headers, signal: this.abort.signal, cache: 'no-store' });
        if (!res.ok || !res.body || !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
          await res.body?.cancel().catch(() => {});
          this.fail();
          return;
        }
        this.readyState = OPEN;
        this.dispatch('open');
        await this.read(res.body);
      } catch {
        // A network error or a dropped stream: reconnect below, unless closed.
      }
      if (this.readyState === CLOSED) return;
      this.readyState = CONNECTING;
      this.dispatch('error');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.retryMs);
        this.abort.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
    }
  }

  private fail(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.dispatch('error');
  }

  /** The event-stream format of the HTML standard: fields until a blank line, then dispatch. */
  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let type = '';
    let data: string[] = [];
    const onLine = (line: string) => {
      if (line === '') {
        if (data.length > 0) this.dispatch(type || 'message', data.join('\n'));
        type = '';
        data = [];
        return;
      }
      if (line.startsWith(':')) return;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
      else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let at: number;
      while ((at = buffer.search(/\r\n|\r|\n/)) !== -1) {
        // A lone \r at the very end may be the first half of \r\n: wait for more.
        if (buffer[at] === '\r' && at === buffer.length - 1) break;
        const newline = buffer.startsWith('\r\n', at) ? 2 : 1;
        onLine(buffer.slice(0, at));
        buffer = buffer.slice(at + newline);
      }
    }
  }
}
