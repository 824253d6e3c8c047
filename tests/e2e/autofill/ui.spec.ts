// SECURITY.md 13–14: nothing of Latchkey's is drawn in the page, the content script takes no
// orders from the page, and the background checks who is asking.
import type { Page, Worker } from '@playwright/test';
import { test, expect, seed, openPage, fillFromPopup, values, settle, pressFillCommand, clickMenu } from './harness';

const USER = 'alice@example.com';
const PASS = 'pw-Alice-1!';

const domShape = (page: Page) => page.evaluate(() => ({ count: document.querySelectorAll('*').length, html: document.documentElement.outerHTML.replace(/value="[^"]*"/g, '') }));

test.describe('13. no Latchkey UI inside the page', () => {
  test('filling, the menu and the key add nothing to the page', async ({ context, extensionId, sites, serviceWorker }) => {
    const { ext } = await seed(context, extensionId, [
      { title: 'A1', username: USER, password: PASS, urls: [sites.A] },
      { title: 'A2', username: 'bob', password: 'pw-Bob', urls: [sites.A] },
    ]);
    const page = await openPage(context, `${sites.A}/login.html`);
    await settle(page);
    const before = await domShape(page);
    await fillFromPopup(ext, page);
    await page.click('#username');
    await pressFillCommand(serviceWorker, ext, page);
    await clickMenu(serviceWorker, ext, page, 'latchkey-fill');
    await settle(page, 500);
    expect(await domShape(page)).toEqual(before);
    expect(await values(page, '#password')).toEqual([PASS]);
  });

  test('a locked vault never asks for the master password in the page', async ({ context, extensionId, sites, serviceWorker }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
    await ext.call('session.lock');
    const page = await openPage(context, `${sites.A}/login.html`);
    await settle(page);
    const before = await domShape(page);
    await page.click('#username');
    await pressFillCommand(serviceWorker, ext, page);
    await clickMenu(serviceWorker, ext, page, 'latchkey-fill');
    const reply = await ext.send('autofill.fill', { tabId: await ext.tabIdOf(page.url()) });
    expect(reply).toMatchObject({ ok: false, code: 'LOCKED' });
    await settle(page, 500);
    expect(await domShape(page)).toEqual(before);
    expect(await values(page, '#username', '#password')).toEqual(['', '']);
    expect(await page.locator('input[type=password]').count()).toBe(1);
  });
});

/** Runs `fn` in the extension's isolated world of the page, i.e. as our content script would. */
async function asContentScript<T>(serviceWorker: Worker, tabId: number, frameId: number, message: unknown): Promise<T> {
  return serviceWorker.evaluate(
    async ({ tabId, frameId, message }) => {
      const [result] = await chrome.scripting.executeScript({
        target: { tabId, frameIds: [frameId] },
        func: (m: unknown) => chrome.runtime.sendMessage(m),
        args: [message],
      });
      return result?.result as T;
    },
    { tabId, frameId, message },
  );
}

test.describe('14. the content script takes no orders from the page; the background checks the sender', () => {
  test("the page's postMessage and events reach nothing", async ({ context, extensionId, sites }) => {
    await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
    const page = await openPage(context, `${sites.A}/signup.html`);
    await page.evaluate(() => {
      for (const m of [
        { latchkey: 1, type: 'autofill.trigger', intentId: 'forged', focusedOnly: false },
        { latchkey: 1, type: 'autofill.generated', password: 'chosen-by-the-page' },
        { latchkey: 1, type: 'vault.list' },
      ]) {
        window.postMessage(m, '*');
        document.dispatchEvent(new CustomEvent('message', { detail: m }));
        document.dispatchEvent(new CustomEvent(m.type, { detail: m }));
      }
      document.dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true }));
    });
    await settle(page, 800);
    expect(await values(page, '#email', '#new', '#confirm')).toEqual(['', '', '']);
  });

  test('a content script may not ask for vault contents or act as the popup', async ({ context, extensionId, sites, serviceWorker }) => {
    const { ext, ids } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
    const page = await openPage(context, `${sites.A}/login.html`);
    const tabId = await ext.tabIdOf(page.url());
    for (const [type, payload] of [
      ['vault.list', undefined],
      ['vault.get', { id: ids[0] }],
      ['autofill.fill', { tabId }],
      ['autofill.openAndLogin', { entryId: ids[0] }],
      ['autofill.saveOffer', { tabId }],
      ['autofill.answerSaveOffer', { offerId: 'x', action: 'save' }],
    ] as const) {
      const reply = await asContentScript<{ ok: boolean; code?: string }>(serviceWorker, tabId, 0, { latchkey: 1, type, payload });
      expect(reply, type).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    }
    // A claim without a person's action or fill-on-load gets nothing, whatever it says about its form.
    const claim = await asContentScript(serviceWorker, tabId, 0, { latchkey: 1, type: 'autofill.claim', payload: { form: { kind: 'login', actionOrigin: sites.A, focused: true, referrer: '' } } });
    expect(claim).toEqual({ ok: true, value: null });
    const forged = await asContentScript(serviceWorker, tabId, 0, { latchkey: 1, type: 'autofill.claim', payload: { intentId: 'made-up', form: { kind: 'login', actionOrigin: sites.A, focused: true, referrer: '' } } });
    expect(forged).toEqual({ ok: true, value: null });
  });

  test("a frame of another origin cannot claim the top page's login", async ({ context, extensionId, sites, serviceWorker }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A], autologin: { enabled: true } }]);
    const page = await openPage(context, `${sites.A}/frames.html#b`);
    await expect(page.frameLocator('#frame').locator('#password')).toBeVisible();
    const tabId = await ext.tabIdOf(page.url());
    const frameId = await serviceWorker.evaluate(async ({ tabId, B }) => {
      const results = await chrome.scripting.executeScript({ target: { tabId, allFrames: true }, func: () => location.origin });
      return results.find((r) => r.result === B)!.frameId;
    }, { tabId, B: sites.B });
    // It even claims to post to A: the background judges by the sender's own origin.
    const claim = await asContentScript(serviceWorker, tabId, frameId, { latchkey: 1, type: 'autofill.claim', payload: { form: { kind: 'login', actionOrigin: sites.A, focused: true, referrer: '' } } });
    expect(claim).toEqual({ ok: true, value: null });
  });
});
