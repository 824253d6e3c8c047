import type { WxtBrowser as Browser } from 'wxt/browser';

/** The toolbar button: `action` in Chrome MV3, `browserAction` in Firefox MV2 (which has no `action`). */
export const toolbarButton = (browser: Browser) => browser.action ?? browser.browserAction;
