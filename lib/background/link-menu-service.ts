// The right-click menu's "Create link share": opens the extension's own window (never anything
// drawn in the page) over the entries saved for the page's site, the same matching the popup's
// "This site" uses. The popup picks up from there: one entry opens the link dialog, several ask
// which first, and a locked vault asks to unlock.
import type { WxtBrowser as Browser } from 'wxt/browser';
import { t } from '../i18n';

export const LINK_MENU_ID = 'latchkey-link-share';
/** The popup's query parameter naming the page whose entries may go into a link. */
export const SHARE_PAGE_PARAM = 'share-page';

export function linkWindowUrl(browser: Browser, pageUrl: string): string {
  return `${browser.runtime.getURL('/popup.html')}?${SHARE_PAGE_PARAM}=${encodeURIComponent(pageUrl)}`;
}

export function createLinkMenuService(deps: { browser: Browser }) {
  const { browser } = deps;
  const menus = browser.contextMenus;
  const install = () =>
    new Promise<void>((resolve) => {
      menus.create({ id: LINK_MENU_ID, title: t('menuCreateLinkShare'), contexts: ['page', 'frame', 'editable', 'link', 'selection'] }, () => {
        void browser.runtime.lastError; // already there after a worker restart
        resolve();
      });
    });

  async function open(pageUrl: string): Promise<void> {
    await browser.windows.create({ url: linkWindowUrl(browser, pageUrl), type: 'popup', width: 380, height: 640 });
  }

  menus.onClicked.addListener((info, tab) => {
    if (String(info.menuItemId) !== LINK_MENU_ID) return;
    // The top page's address: the entries of the site the person is on.
    const pageUrl = info.pageUrl ?? tab?.url;
    if (pageUrl) void open(pageUrl).catch(() => undefined);
  });
  browser.runtime.onInstalled.addListener(() => void install());
  void install();
  return { open };
}
