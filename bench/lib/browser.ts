// Debian's Chromium with the benchmark's build of the extension, through the e2e fixture, plus a
// DevTools port so the service worker's heap can be read and the worker stopped.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { CdpClient, DebugPort, heapAfterGc } from './cdp';

export const BENCH_EXTENSION_DIR = resolve('.tmp/bench/output/chrome-mv3');

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  origin: string;
  debug: DebugPort;
  /** True when the popup is the real one; false when the benchmark supplied a blank sender page. */
  realPopup: boolean;
  /** A page at chrome-extension://<id>/popup.html, which the background accepts messages from. */
  senderPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Where messages may come from is decided by the page's path; a blank page there lets the
 *  benchmark talk to the real background before the real popup exists. Never used when it does. */
function ensureSenderPage(dir: string): boolean {
  const popup = join(dir, 'popup.html');
  if (existsSync(popup) && !readFileSync(popup, 'utf8').includes('latchkey-bench-sender')) return true;
  writeFileSync(popup, '<!doctype html><meta name="latchkey-bench-sender"><title>bench sender</title>');
  return false;
}

export async function launchExtension(extraArgs: string[] = []): Promise<ExtensionBrowser> {
  process.env.LATCHKEY_EXTENSION_DIR = BENCH_EXTENSION_DIR;
  const realPopup = ensureSenderPage(BENCH_EXTENSION_DIR);
  const { launchWithExtension, serviceWorkerOf } = await import('../../tests/e2e/fixtures');
  const launched = await launchWithExtension({ extraArgs: ['--remote-debugging-port=0', '--remote-debugging-address=127.0.0.1', ...extraArgs] });
  const { context, userDataDir } = launched;
  const sw = await serviceWorkerOf(context);
  const extensionId = new URL(sw.url()).host;
  const portFile = join(userDataDir, 'DevToolsActivePort');
  for (let i = 0; i < 100 && !existsSync(portFile); i++) await new Promise((r) => setTimeout(r, 50));
  const debug = new DebugPort(Number(readFileSync(portFile, 'utf8').split('\n')[0]));
  const origin = `chrome-extension://${extensionId}`;
  let sender: Page | undefined;
  return {
    context,
    extensionId,
    origin,
    debug,
    realPopup,
    async senderPage() {
      if (sender && !sender.isClosed()) return sender;
      sender = await context.newPage();
      await sender.goto(`${origin}/popup.html`);
      return sender;
    },
    close: launched.close,
  };
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

export class NoAnswer extends Error {}

/** Rejects with NoAnswer after `ms`: a message the background never answers must not hang the run. */
export function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NoAnswer(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export const MESSAGE_TIMEOUT_MS = 120_000;

/** Sends one protocol message from an extension page, exactly as the popup does. */
export async function send<T = unknown>(page: Page, type: string, payload?: unknown, timeoutMs = MESSAGE_TIMEOUT_MS): Promise<T> {
  const reply = await within(timeoutMs, type, page.evaluate(
    ([type, payload]) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ latchkey: 1, type, payload }),
    [type, payload] as const,
  )) as Envelope<T> | undefined;
  if (!reply || !reply.ok) throw new Error(`${type} failed: ${reply ? `${reply.code} ${reply.message}` : 'no answer'}`);
  return reply.value;
}

/** Sends a message and returns how long the round trip took, timed inside the page. */
export async function timedSend(page: Page, type: string, payload?: unknown, timeoutMs = MESSAGE_TIMEOUT_MS): Promise<{ ms: number; value: unknown }> {
  const r = await within(timeoutMs, type, page.evaluate(async ([type, payload]) => {
    const chrome = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ ok: boolean; code?: string; message?: string; value?: unknown }> } } }).chrome;
    const t0 = performance.now();
    const reply = await chrome.runtime.sendMessage({ latchkey: 1, type, payload });
    const ms = performance.now() - t0;
    return { ms, ok: reply?.ok, error: reply?.ok ? undefined : `${reply?.code} ${reply?.message}`, count: Array.isArray((reply?.value as { entries?: unknown[] })?.entries)
        ? (reply!.value as { entries: unknown[] }).entries.length
        : typeof (reply?.value as { total?: unknown })?.total === 'number'
          ? (reply!.value as { total: number }).total
          : undefined };
  }, [type, payload] as const));
  if (!r.ok) throw new Error(`${type} failed: ${r.error}`);
  return { ms: r.ms, value: r.count };
}

/** The extension's service worker target, for heap readings. */
export async function serviceWorkerCdp(b: ExtensionBrowser): Promise<CdpClient> {
  return b.debug.attach((t) => t.type === 'service_worker' && t.url.startsWith(b.origin));
}

export async function serviceWorkerHeap(b: ExtensionBrowser): Promise<number> {
  const c = await serviceWorkerCdp(b);
  try {
    return await heapAfterGc(c);
  } finally {
    c.close();
  }
}

/** Closes the offscreen document (the background creates a new one when it next needs it). */
export async function closeOffscreenDocument(b: ExtensionBrowser): Promise<boolean> {
  const target = (await b.debug.targets()).find((t) => t.url === `${b.origin}/offscreen.html`);
  if (!target) return false;
  const browser = await b.debug.browser();
  try {
    await browser.send('Target.closeTarget', { targetId: target.id });
  } finally {
    browser.close();
  }
  return true;
}

const MARKER = '__latchkeyBenchMarker';

/** Runs `expression` in the service worker if one is running; undefined when none is. */
async function inWorker(b: ExtensionBrowser, expression: string): Promise<unknown> {
  const target = (await b.debug.targets()).find((t) => t.type === 'service_worker' && t.url.startsWith(b.origin));
  if (!target?.webSocketDebuggerUrl) return undefined;
  const c = await CdpClient.connect(target.webSocketDebuggerUrl);
  try {
    const r = await c.send<{ result: { value?: unknown } }>('Runtime.evaluate', { expression, returnByValue: true });
    return r.result.value;
  } catch {
    return undefined;
  } finally {
    c.close();
  }
}

/**
 * Stops the extension's service worker, as Chrome does after 30 s idle, and returns once the
 * worker that ran before is gone (a new one may already have started: the marker tells them apart).
 */
export async function stopServiceWorker(b: ExtensionBrowser): Promise<void> {
  await inWorker(b, `globalThis.${MARKER} = true`);
  const page = await b.senderPage();
  const cdp = await b.context.newCDPSession(page);
  try {
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
  } finally {
    await cdp.detach().catch(() => undefined);
  }
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    if ((await inWorker(b, `globalThis.${MARKER} === true`)) !== true) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('The service worker did not stop');
}
