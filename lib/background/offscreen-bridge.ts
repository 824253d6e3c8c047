// Reaches the offscreen document from the service worker over a dedicated port (a port talks to
// one page only, unlike runtime.sendMessage, which every extension page would receive).
import type { Browser as B, WxtBrowser as Browser } from 'wxt/browser';

type Port = B.runtime.Port;
import { fromBase64Url, toBase64Url } from '../crypto/encoding';
import { AppError } from '../errors';
import type { KdfParams } from '../crypto/kdf';
import type { RateStrength } from '../model/master-password';
import type { Strength } from '../model/strength';
import { CLIPBOARD_CLEAR_MS, runOffscreenTask, type OffscreenRequest, type OffscreenResponse } from './offscreen-tasks';
import { t } from '../i18n';

export const OFFSCREEN_PORT = 'latchkey-offscreen';
const OFFSCREEN_PATH = '/offscreen.html';

interface ChromeOffscreen {
  createDocument(p: { url: string; reasons: string[]; justification: string }): Promise<void>;
  closeDocument(): Promise<void>;
}

/** How long a document that is already open gets to connect to a (restarted) worker. */
const CONNECT_GRACE_MS = 1500;
interface ChromeRuntimeContexts {
  getContexts?(filter: { contextTypes: string[] }): Promise<unknown[]>;
}

export interface OffscreenBridge {
  derive(password: Uint8Array, salt: Uint8Array, params: KdfParams): Promise<Uint8Array>;
  clearClipboardLater(text: string): Promise<void>;
  /** Rates a new master password with the strength meter (null when it cannot run). */
  strength: RateStrength;
  /** Rates entry passwords with the strength meter, in order (null when it cannot run). */
  rate(passwords: string[]): Promise<Strength[] | null>;
  /** Puts text on the clipboard, and clears it later as clearClipboardLater does. */
  copyThenClearLater(text: string): Promise<void>;
}

export function createOffscreenBridge(browser: Browser): OffscreenBridge {
  const chromeApi = (globalThis as { chrome?: { offscreen?: ChromeOffscreen; runtime?: ChromeRuntimeContexts } }).chrome;
  const offscreen = chromeApi?.offscreen;
  let port: Port | undefined;
  let portReady: Promise<Port> | undefined;
  let resolvePort: ((p: Port) => void) | undefined;
  let nextId = 1;
  const pending = new Map<number, { resolve: (r: OffscreenResponse) => void }>();

  browser.runtime.onConnect.addListener((p) => {
    if (p.name !== OFFSCREEN_PORT || p.sender?.url !== browser.runtime.getURL(OFFSCREEN_PATH)) return;
    port = p;
    p.onMessage.addListener((msg: unknown) => {
      const { id, response } = msg as { id: number; response: OffscreenResponse };
      pending.get(id)?.resolve(response);
      pending.delete(id);
    });
    p.onDisconnect.addListener(() => {
      port = undefined;
      portReady = undefined;
      for (const w of pending.values()) w.resolve({ ok: false, code: 'INTERNAL', message: t('errorOffscreenClosed') });
      pending.clear();
    });
    resolvePort?.(p);
  });

  async function ensurePort(): Promise<Port> {
    if (port) return port;
    portReady ??= (async () => {
      const connected = new Promise<Port>((resolve) => (resolvePort = resolve));
      const create = () =>
        offscreen!.createDocument({
          url: OFFSCREEN_PATH,
          reasons: ['WORKERS', 'CLIPBOARD'],
          justification: 'Derive the vault key with Argon2id off the service worker, and clear copied passwords from the clipboard.',
        });
      const existing = (await chromeApi?.runtime?.getContexts?.({ contextTypes: ['OFFSCREEN_DOCUMENT'] })) ?? [];
      if (existing.length === 0) {
        await create();
        return connected;
      }
      // A document from before this worker started reconnects by itself; if it does not, replace it.
      const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), CONNECT_GRACE_MS));
      const early = await Promise.race([connected, timeout]);
      if (early) return early;
      await offscreen!.closeDocument().catch(() => undefined);
      await create();
      return connected;
    })();
    return portReady;
  }

  async function run(req: OffscreenRequest): Promise<OffscreenResponse> {
    if (!offscreen) return runOffscreenTask(req); // Firefox: the background is a page with a DOM.
    const p = await ensurePort();
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, { resolve });
      p.postMessage({ id, request: req });
    });
  }

  return {
    async derive(password, salt, params) {
      const res = await run({ task: 'derive', password: toBase64Url(password), salt: toBase64Url(salt), params });
      if (!res.ok || !res.key) throw new AppError('INTERNAL', t('errorKeyDerivation'));
      return fromBase64Url(res.key);
    },
    async strength(password) {
      if (!offscreen) {
        // Firefox: the background is a page and loads the meter itself. Chrome's service worker
        // leaves it to the offscreen document, so zxcvbn stays out of the worker's bundle.
        if (import.meta.env.FIREFOX) return (await import('../model/master-password')).rateWithMeter(password);
        return null;
      }
      const res = await run({ task: 'strength', password });
      return res.ok && res.verdict !== undefined ? res.verdict : null;
    },
    async rate(passwords) {
      if (!offscreen) {
        if (import.meta.env.FIREFOX) return (await import('../model/strength')).ratePasswords(passwords);
        return null;
      }
      const res = await run({ task: 'rate', passwords });
      return res.ok && res.strengths !== undefined ? res.strengths : null;
    },
    async clearClipboardLater(text) {
      await run({ task: 'clipboard-clear-later', text, afterMs: CLIPBOARD_CLEAR_MS });
    },
    async copyThenClearLater(text) {
      await run({ task: 'clipboard-copy', text, afterMs: CLIPBOARD_CLEAR_MS });
    },
  };
}
