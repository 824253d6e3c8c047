// Login forms inside shadow roots (open and closed), created by the page's script after load: a
// person's fill, fill on load, and the offer to save what a person typed there.
import type { Page } from '@playwright/test';
import { test, expect, seed, openPage, openTab, fillFromPopup, settle } from './harness';

const USER = 'alice@example.com';
const PASS = 'pw-Alice-1!';

type Rooted = { __root?: ShadowRoot };

/** The values of the fields in the page's shadow root (read through the page's own reference). */
async function shadowValues(page: Page): Promise<string[]> {
  await page.waitForFunction(() => !!(window as unknown as Rooted).__root);
  return page.evaluate(() => ['#username', '#password'].map((s) => ((window as unknown as Rooted).__root!.querySelector(s) as HTMLInputElement).value));
}

/** Clicks a field of the shadow root with the mouse (a trusted click, which also focuses it). */
async function clickField(page: Page, selector: string): Promise<void> {
  await page.waitForFunction(() => !!(window as unknown as Rooted).__root);
  const box = await page.evaluate((s) => {
    const r = ((window as unknown as Rooted).__root!.querySelector(s) as HTMLElement).getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  }, selector);
  await page.mouse.click(box.x, box.y);
}

for (const mode of ['closed', 'open']) {
  test(`a person's fill reaches the fields of a ${mode} shadow root`, async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
    const page = await openPage(context, `${sites.A}/shadow.html?mode=${mode}`);
    await page.waitForFunction(() => !!(window as unknown as Rooted).__root);
    expect(await fillFromPopup(ext, page)).toMatchObject({ status: 'filled' });
    expect(await shadowValues(page)).toEqual([USER, PASS]);
  });
}

test('fill on load finds a login form in a closed shadow root', async ({ context, extensionId, sites, serviceWorker }) => {
  await seed(context, extensionId, [{ title: 'S', username: USER, password: PASS, urls: [sites.S], autologin: { enabled: true } }]);
  const page = await openTab(context, serviceWorker, `${sites.S}/shadow.html`);
  await expect.poll(() => shadowValues(page), { timeout: 5_000 }).toEqual([USER, PASS]);
});

test('a login a person types into a closed shadow root is offered for saving', async ({ context, extensionId, sites }) => {
  const { ext } = await seed(context, extensionId, []);
  const page = await openPage(context, `${sites.A}/shadow.html`);
  const tabId = await ext.tabIdOf(page.url());
  // Nothing in the light DOM looks like a login, so nothing is watched until a person is in the form.
  await settle(page, 300);
  await clickField(page, '#username');
  await page.keyboard.type('typed@example.com');
  await clickField(page, '#password');
  await page.keyboard.type('typed-Pw-9');
  await Promise.all([page.waitForURL(/submit/), page.keyboard.press('Enter')]);
  await expect.poll(() => ext.call('autofill.saveOffer', { tabId })).toMatchObject({ action: 'save', username: 'typed@example.com', origin: sites.A });
});
