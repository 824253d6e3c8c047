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

export function openOptionsPage(): void {
  void browser.runtime.openOptionsPage();
}
