// Shared set-up of the autologin end-to-end tests: loopback sites, Chromium with the built
// extension (trusting only the test certificate), every non-loopback request aborted.
import { test as base, expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { launchWithExtension, serviceWorkerOf } from '../fixtures';
import { sitesPerWorker, type Sites } from '../sites/server';
import { seedVault, type ExtensionPage } from '../pages/seed';

export { expect };

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** Aborts every request to a host that is not loopback (or one of the names mapped to loopback). */
export async function blockNetwork(context: BrowserContext, mapped: RegExp | null = null): Promise<void> {
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (!/^https?:$/.test(url.protocol) || LOOPBACK.test(url.hostname) || mapped?.test(url.hostname)) return route.continue();
    return route.abort();
  });
}

/**
 * Chromium flags that resolve the given test host names to 127.0.0.1, and the pattern that lets
 * them through blockNetwork. Nothing else resolves differently.
 */
export function mapHosts(suffixes: string[]): { args: string[]; pattern: RegExp } {
  const rules = suffixes.map((s) => `MAP ${s} 127.0.0.1`).join(', ');
  const escaped = suffixes.map((s) => s.replace(/\./g, '\\.').replace(/\*/g, '[^/]*'));
  return { args: [`--host-resolver-rules=${rules}`], pattern: new RegExp(`^(${escaped.join('|')})$`) };
}

interface Fixtures {
  context: BrowserContext;
  serviceWorker: Worker;
  extensionId: string;
}

/** One set of sites per worker; a fresh browser profile per test. */
export const test = base.extend<Fixtures & { extraArgs: string[]; mappedHosts: RegExp | null }, { sites: Sites }>({
  sites: [sitesPerWorker, { scope: 'worker' }],
  extraArgs: [[], { option: true }],
  mappedHosts: [null, { option: true }],
  context: async ({ sites, extraArgs, mappedHosts }, use) => {
    const launched = await launchWithExtension({ extraArgs: [...sites.chromiumArgs, ...extraArgs] });
    await blockNetwork(launched.context, mappedHosts);
    await use(launched.context);
    await launched.close();
  },
  serviceWorker: async ({ context }, use) => use(await serviceWorkerOf(context)),
  extensionId: async ({ serviceWorker }, use) => use(new URL(serviceWorker.url()).host),
});

export type Seed = Parameters<typeof seedVault>[2];

export async function seed(context: BrowserContext, extensionId: string, entries: Seed): Promise<{ ext: ExtensionPage; ids: string[] }> {
  return seedVault(context, extensionId, entries);
}

export async function openPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/**
 * Opens a tab the way a person does (address bar, bookmark): no opener. Playwright's newPage()
 * gives its tabs an opener, which Latchkey rightly treats as "opened by a page".
 */
export async function openTab(context: BrowserContext, serviceWorker: Worker, url: string): Promise<Page> {
  const created = context.waitForEvent('page');
  await serviceWorker.evaluate((url) => chrome.tabs.create({ url }), url);
  const page = await created;
  await page.waitForLoadState('load');
  return page;
}

/** Fills the tab showing `page` as the popup's "Fill" button does. */
export async function fillFromPopup(ext: ExtensionPage, page: Page, options: { entryId?: string; allowActionOrigin?: string } = {}) {
  const tabId = await ext.tabIdOf(page.url());
  return ext.call('autofill.fill', { tabId, ...options });
}

export async function values(page: Page, ...selectors: string[]): Promise<string[]> {
  return Promise.all(selectors.map((s) => page.locator(s).inputValue()));
}

/** Fires the browser's keyboard command event in the background, as pressing Ctrl+Shift+L does. */
export async function pressFillCommand(serviceWorker: Worker, ext: ExtensionPage, page: Page): Promise<void> {
  const tabId = await ext.tabIdOf(page.url());
  await serviceWorker.evaluate(async (tabId) => {
    const tab = await chrome.tabs.get(tabId);
    (chrome.commands.onCommand as unknown as { dispatch(c: string, t: chrome.tabs.Tab): void }).dispatch('fill-login', tab);
  }, tabId);
}

/** Fires a context-menu click in the background, as choosing the item on the page does. */
export async function clickMenu(serviceWorker: Worker, ext: ExtensionPage, page: Page, menuItemId: string, frameId = 0): Promise<void> {
  const tabId = await ext.tabIdOf(page.url());
  await serviceWorker.evaluate(
    async ({ tabId, menuItemId, frameId, pageUrl }) => {
      const tab = await chrome.tabs.get(tabId);
      const info = { menuItemId, frameId, pageUrl, editable: true };
      (chrome.contextMenus.onClicked as unknown as { dispatch(i: unknown, t: chrome.tabs.Tab): void }).dispatch(info, tab);
    },
    { tabId, menuItemId, frameId, pageUrl: page.url() },
  );
}

/** Lets the page's own scanning and any fill on load run. */
export const settle = (page: Page, ms = 700) => page.waitForTimeout(ms);
