// A sender with the extension (a Chromium profile with a vault and an account on the test server),
// the link dialog driven as a person would, and a recipient browser without the extension.
import { expect, type Browser, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { launchDevice, serviceWorkerOf } from '../fixtures';
import { ExtensionPage, MASTER_PASSWORD } from '../pages/seed';

/** Argon2id (64 MiB) on the sender's and the recipient's side, on a shared machine. */
export const ARGON = 40_000;

export type Device = Awaited<ReturnType<typeof launchDevice>> & { ext: ExtensionPage; worker: Worker };

export interface EntryInput {
  title: string;
  username: string;
  password: string;
  urls: string[];
  notes?: string;
}

export async function sender(serverUrl: string, username: string, entries: EntryInput[]): Promise<Device> {
  const launched = await launchDevice();
  const ext = await ExtensionPage.open(launched.context, launched.extensionId);
  await ext.createVault();
  for (const e of entries) await ext.addEntry(e);
  await ext.call('account.register', { serverUrl, username, email: `${username}@example.com`, password: MASTER_PASSWORD });
  return { ...launched, ext, worker: await serviceWorkerOf(launched.context) };
}

/** The link dialog as it opens: keep the defaults (PIN, 1 use, 1 day), create, return link and PIN. */
export async function createFromDialog(page: Page, serverUrl: string): Promise<{ url: string; pin: string }> {
  await expect(page.getByRole('heading', { name: 'Link share' })).toBeVisible();
  await page.getByRole('button', { name: 'Create link' }).click();
  await expect(page.getByRole('heading', { name: 'Link created' })).toBeVisible({ timeout: ARGON });
  const url = await page.getByTestId('link-url').inputValue();
  const pin = (await page.getByTestId('link-pin').innerText()).trim();
  expect(url).toMatch(new RegExp(`^${serverUrl}/l/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}$`));
  expect(pin).toMatch(/^\d{5}$/);
  return { url, pin };
}

/** Opens the link in a browser without the extension and reveals it with the PIN. */
export async function reveal(browser: Browser, url: string, pin: string, context?: BrowserContext): Promise<Page> {
  const page = await (context ?? (await browser.newContext())).newPage();
  await page.goto(url);
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.getByRole('heading', { name: /^Shared with you/ })).toBeVisible({ timeout: ARGON });
  return page;
}

/** The right-click menu's "Create link share" on `pageUrl`, as Chromium dispatches it; resolves to the window it opens. */
export async function rightClickCreateLink(device: Device, pageUrl: string): Promise<Page> {
  const [win] = await Promise.all([
    device.context.waitForEvent('page'),
    device.worker.evaluate(async (pageUrl) => {
      const [tab] = await chrome.tabs.query({});
      (chrome.contextMenus.onClicked as unknown as { dispatch(i: unknown, t: chrome.tabs.Tab): void }).dispatch({ menuItemId: 'latchkey-link-share', pageUrl, frameId: 0 }, tab!);
    }, pageUrl),
  ]);
  expect(win.url()).toContain('/popup.html?share-page=');
  return win;
}
