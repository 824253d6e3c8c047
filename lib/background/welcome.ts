// The welcome tab: opened once, when the extension is installed (not on an update or a browser
// restart), to say how to pin Latchkey and how to start (entrypoints/welcome).
export const WELCOME_PAGE = '/welcome.html';

/** The part of the browser this needs: unit tests pass a fake. */
export interface WelcomeBrowser {
  runtime: {
    getURL(path: string): string;
    onInstalled?: { addListener(listener: (details: { reason: string }) => void): void };
  };
  tabs: { create(properties: { url: string }): Promise<unknown> };
}

/**
 * Registers the install listener. Call it while the background starts, synchronously: an MV3
 * service worker woken by the install event only delivers it to listeners added on its first turn.
 */
export function openWelcomeOnInstall(browser: WelcomeBrowser): void {
  browser.runtime.onInstalled?.addListener((details) => {
    if (details.reason !== 'install') return;
    void Promise.resolve(browser.tabs.create({ url: browser.runtime.getURL(WELCOME_PAGE) })).catch(() => undefined);
  });
}
