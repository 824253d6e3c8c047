// The few browser calls the popup makes itself (everything else goes through lib/messages).
import { browser } from 'wxt/browser';
import { t } from '../i18n';
import { send } from '../messages/client';

export interface CurrentTab {
  id?: number;
  url?: string;
}

/** The tab the popup was opened over: the background lists its entries first, and fills it. */
export async function currentTab(): Promise<CurrentTab> {
  try {
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    return { id: tab?.id, url: tab?.url };
  } catch {
    return {};
  }
}

/**
 * The origin of the document in the tab's top frame, asked of the document itself: the tab's URL
 * cannot show that a page was served sandboxed (Content-Security-Policy: sandbox), whose origin is
 * opaque ('null') while the address bar still names the site. undefined when it cannot be asked
 * (the browser's own pages, a tab that is gone).
 */
export async function topFrameOrigin(tabId: number): Promise<string | undefined> {
  try {
    const scripting = (browser as { scripting?: typeof browser.scripting }).scripting;
    if (scripting?.executeScript) {
      const [first] = await scripting.executeScript({ target: { tabId, frameIds: [0] }, func: () => self.origin, injectImmediately: true });
      return typeof first?.result === 'string' ? first.result : undefined;
    }
    const legacy = browser.tabs as unknown as { executeScript(tabId: number, d: { code: string; frameId: number }): Promise<unknown[]> };
    const [origin] = await legacy.executeScript(tabId, { code: 'self.origin', frameId: 0 });
    return typeof origin === 'string' ? origin : undefined;
  } catch {
    return undefined;
  }
}

/** Closes the toolbar popup (after a fill, the page is what matters); a popup.html tab stays. */
export async function closePopup(): Promise<void> {
  try {
    if (await browser.tabs.getCurrent()) return;
  } catch {
    // no tabs API answer: assume the toolbar popup
  }
  window.close();
}

export type CopyOutcome = { ok: true; cleared: boolean } | { ok: false; message: string };

/**
 * Puts a username or password on the clipboard, then asks the background to clear it after 30 s if
 * it still holds this text. The popup writes it itself: the service worker has no clipboard.
 */
export async function copyToClipboard(text: string, write: (t: string) => Promise<void> = (t) => navigator.clipboard.writeText(t)): Promise<CopyOutcome> {
  try {
    await write(text);
  } catch {
    return { ok: false, message: t('popupCopyFailed') };
  }
  const reply = await send('clipboard.scheduleClear', { text });
  return { ok: true, cleared: reply.ok };
}

/** Puts text that is not a password (a link share's URL) on the clipboard; it is not cleared later. */
export async function copyText(text: string, write: (t: string) => Promise<void> = (t) => navigator.clipboard.writeText(t)): Promise<CopyOutcome> {
  try {
    await write(text);
    return { ok: true, cleared: false };
  } catch {
    return { ok: false, message: t('popupCopyFailed') };
  }
}

/**
 * What a pick-up page revealed (`window.latchkeyPickup`, in the page's own world), read only when
 * the person asks to save it. The background checks it against the schema before anything is saved.
 */
export async function readPickup(tabId: number): Promise<unknown> {
  const [first] = await browser.scripting.executeScript({
    target: { tabId, frameIds: [0] },
    world: 'MAIN',
    func: () => {
      const p = (window as unknown as { latchkeyPickup?: { v?: unknown; linkId?: unknown; entries?: unknown } }).latchkeyPickup;
      return p ? JSON.parse(JSON.stringify({ v: p.v, linkId: p.linkId, entries: p.entries })) : null;
    },
  });
  return first?.result ?? null;
}

/** Opens a site in a new tab behind the popup, which stays open (the health view's change path). */
export async function openSiteBehind(url: string): Promise<boolean> {
  try {
    await browser.tabs.create({ url, active: false });
    return true;
  } catch {
    return false;
  }
}

/** Opens the options page; `hash` (e.g. '#sign-in') opens it on one of its parts. */
export function openOptionsPage(hash = ''): void {
  if (!hash) {
    void browser.runtime.openOptionsPage();
    return;
  }
  void browser.tabs.create({ url: browser.runtime.getURL(`/options.html${hash}`) });
}
