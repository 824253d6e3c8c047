// SECURITY.md 1–3: when a fill may happen at all.
import { test, expect, seed, openPage, openTab, fillFromPopup, values, settle, pressFillCommand } from './harness';

const USER = 'alice@example.com';
const PASS = 'pw-Alice-1!';

test.describe('1. only a trusted action on the extension UI fills', () => {
  test("the page's own clicks, focus, keys, messages and events fill nothing; the popup does", async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
    const page = await openPage(context, `${sites.A}/login.html`);
    await page.evaluate(() => {
      const u = document.getElementById('username') as HTMLInputElement;
      u.focus();
      u.click();
      u.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true }));
      for (const target of [document, u]) {
        target.dispatchEvent(new KeyboardEvent('keydown', { key: 'L', code: 'KeyL', ctrlKey: true, shiftKey: true, bubbles: true }));
      }
      // Our own message shapes, sent by the page: they must reach nothing.
      window.postMessage({ latchkey: 1, type: 'autofill.trigger', intentId: 'x', focusedOnly: false }, '*');
      window.postMessage({ latchkey: 1, type: 'autofill.generated', password: 'page-chosen' }, '*');
      document.dispatchEvent(new CustomEvent('latchkey:fill', { detail: { type: 'autofill.trigger' } }));
    });
    await settle(page, 1000);
    expect(await values(page, '#username', '#password')).toEqual(['', '']);

    expect(await fillFromPopup(ext, page)).toMatchObject({ status: 'filled' });
    expect(await values(page, '#username', '#password')).toEqual([USER, PASS]);
  });

  test('the keyboard command fills the focused frame', async ({ context, extensionId, sites, serviceWorker }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
    const page = await openPage(context, `${sites.A}/login.html`);
    await page.bringToFront();
    await page.click('#username');
    await pressFillCommand(serviceWorker, ext, page);
    await expect(page.locator('#password')).toHaveValue(PASS);
    expect(await values(page, '#username')).toEqual([USER]);
  });

  test("a login the page submits by script is not offered for saving; one a person submits is", async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, []);
    const page = await openPage(context, `${sites.A}/login.html`);
    const tabId = await ext.tabIdOf(page.url());
    await page.evaluate(() => {
      (document.getElementById('username') as HTMLInputElement).value = 'scripted';
      (document.getElementById('password') as HTMLInputElement).value = 'scripted-pw';
      document.getElementById('go')!.addEventListener('click', (e) => e.preventDefault(), { once: true });
      document.getElementById('go')!.click();
      (document.getElementById('password') as HTMLInputElement).dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    });
    await settle(page, 500);
    expect(await ext.call('autofill.saveOffer', { tabId })).toBeNull();

    await page.fill('#username', 'typed@example.com');
    await page.fill('#password', 'typed-Pw-9');
    await Promise.all([page.waitForURL(/submit/), page.click('#go')]);
    expect(await ext.call('autofill.saveOffer', { tabId })).toMatchObject({ action: 'save', username: 'typed@example.com', origin: sites.A });
  });
});

test.describe('2. "Open & log in" fills only the tab it opened, top frame, origin still matching', () => {
  test('opens the entry, fills and submits when the entry says so', async ({ context, extensionId, sites }) => {
    const { ext, ids } = await seed(context, extensionId, [
      { title: 'S', username: USER, password: PASS, urls: [`${sites.S}/login.html`], autologin: { autoSubmit: true } },
    ]);
    const before = sites.submissions.length;
    const opened = context.waitForEvent('page');
    const { tabId } = await ext.call('autofill.openAndLogin', { entryId: ids[0]! });
    expect(tabId).toBeGreaterThan(0);
    const page = await opened;
    await page.waitForURL(/submit\/login/, { timeout: 10_000 });
    const sent = sites.submissions.slice(before).find((s) => s.path === '/submit/login');
    expect(sent?.origin).toBe(sites.S);
    expect(new URLSearchParams(sent!.body).get('password')).toBe(PASS);
    expect(new URLSearchParams(sent!.body).get('username')).toBe(USER);
  });

  test('does not submit without auto-submit, and leaves other tabs of the site alone', async ({ context, extensionId, sites }) => {
    const { ext, ids } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [`${sites.A}/login.html`] }]);
    const other = await openPage(context, `${sites.A}/login.html`);
    const opened = context.waitForEvent('page');
    await ext.call('autofill.openAndLogin', { entryId: ids[0]! });
    const page = await opened;
    await expect(page.locator('#password')).toHaveValue(PASS);
    await other.reload();
    await settle(other);
    expect(await values(other, '#username', '#password')).toEqual(['', '']);
    expect(page.url()).toContain('/login.html');
  });

  test('fills nothing when the login is only in a frame', async ({ context, extensionId, sites }) => {
    const { ext, ids } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [`${sites.A}/only-in-frame.html`] }]);
    const opened = context.waitForEvent('page');
    await ext.call('autofill.openAndLogin', { entryId: ids[0]! });
    const page = await opened;
    await page.waitForLoadState('load');
    await settle(page, 1000);
    const frame = page.frameLocator('#frame');
    await expect(frame.locator('#username')).toHaveValue('');
    await expect(frame.locator('#password')).toHaveValue('');
  });

  test('fills nothing when the page ends up on another origin', async ({ context, extensionId, sites }) => {
    sites.route('/moved', (_req, res) => {
      res.writeHead(302, { location: `${sites.B}/login.html` });
      res.end();
    });
    const { ext, ids } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [`${sites.A}/moved`] }]);
    const opened = context.waitForEvent('page');
    await ext.call('autofill.openAndLogin', { entryId: ids[0]! });
    const page = await opened;
    await page.waitForURL(`${sites.B}/login.html`);
    await settle(page, 1000);
    expect(await values(page, '#username', '#password')).toEqual(['', '']);
  });
});

test.describe('3. fill on page load: opt-in, top frame, https, one entry, not in page-opened tabs', () => {
  const autologin = (sites: { S: string }, extra = {}) => ({ title: 'S', username: USER, password: PASS, urls: [sites.S], autologin: { enabled: true, ...extra } });

  test('an entry with autologin on fills (and submits) a https page on load', async ({ context, extensionId, sites, serviceWorker }) => {
    await seed(context, extensionId, [autologin(sites, { autoSubmit: true })]);
    const before = sites.submissions.length;
    const page = await openTab(context, serviceWorker, `${sites.S}/login.html`);
    await page.waitForURL(/submit\/login/, { timeout: 10_000 });
    expect(sites.submissions.slice(before).some((s) => s.origin === sites.S && new URLSearchParams(s.body).get('password') === PASS)).toBe(true);
  });

  test('the browser runs the core at document_start on autologin sites only while unlocked', async ({ context, extensionId, sites, serviceWorker }) => {
    // B: an entry without autologin registers nothing (on another port: an http entry of S's own
    // host and port now fits S too, and two matching entries are never filled on load).
    const { ext } = await seed(context, extensionId, [autologin(sites), { title: 'B', username: USER, password: PASS, urls: [sites.B] }]);
    const registered = () => serviceWorker.evaluate(() => chrome.scripting.getRegisteredContentScripts());
    const host = new URL(sites.S).hostname;
    await expect.poll(async () => (await registered()).map((s) => s.matches)).toEqual([[`https://${host}/*`]]);
    expect((await registered())[0]).toMatchObject({ js: ['autologin-deep.js', 'autologin-core.js'], runAt: 'document_start', allFrames: false, persistAcrossSessions: false });
    const page = await openTab(context, serviceWorker, `${sites.S}/login.html`);
    await expect(page.locator('#password')).toHaveValue(PASS);
    await ext.call('session.lock');
    await expect.poll(registered).toEqual([]);
  });

  test('is off by default', async ({ context, extensionId, sites, serviceWorker }) => {
    await seed(context, extensionId, [{ title: 'S', username: USER, password: PASS, urls: [sites.S] }]);
    const page = await openTab(context, serviceWorker, `${sites.S}/login.html`);
    await settle(page, 1200);
    expect(await values(page, '#username', '#password')).toEqual(['', '']);
  });

  test('never on http', async ({ context, extensionId, sites, serviceWorker }) => {
    await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A], autologin: { enabled: true } }]);
    const page = await openTab(context, serviceWorker, `${sites.A}/login.html`);
    await settle(page, 1200);
    expect(await values(page, '#username', '#password')).toEqual(['', '']);
  });

  test('never when two entries match', async ({ context, extensionId, sites, serviceWorker }) => {
    await seed(context, extensionId, [autologin(sites), { ...autologin(sites), username: 'bob', password: 'pw-Bob' }]);
    const page = await openTab(context, serviceWorker, `${sites.S}/login.html`);
    await settle(page, 1200);
    expect(await values(page, '#username', '#password')).toEqual(['', '']);
  });

  test('never in a frame', async ({ context, extensionId, sites, serviceWorker }) => {
    await seed(context, extensionId, [autologin(sites)]);
    const page = await openTab(context, serviceWorker, `${sites.S}/only-in-frame.html`);
    await settle(page, 1200);
    await expect(page.frameLocator('#frame').locator('#password')).toHaveValue('');
  });

  test('never in a tab a page opened', async ({ context, extensionId, sites, serviceWorker }) => {
    await seed(context, extensionId, [autologin(sites)]);
    const opener = await openTab(context, serviceWorker, `${sites.A}/opener.html`);
    const popup = context.waitForEvent('page');
    await opener.click('#popup');
    const page = await popup;
    await page.waitForLoadState('load');
    await settle(page, 1200);
    expect(await values(page, '#username', '#password')).toEqual(['', '']);
  });

  test('never on a page another site sent the tab to', async ({ context, extensionId, sites, serviceWorker }) => {
    await seed(context, extensionId, [autologin(sites)]);
    // localhost is another site than 127.0.0.1; its page moves the tab on by script.
    const page = await openTab(context, serviceWorker, `http://localhost:${sites.ports.B}/opener.html#redirect`);
    await page.waitForURL(`${sites.S}/login.html`);
    await settle(page, 1200);
    expect(await values(page, '#username', '#password')).toEqual(['', '']);
  });

  test('never in a tab a page opened without an opener (noopener, noreferrer)', async ({ context, extensionId, sites, serviceWorker }) => {
    await seed(context, extensionId, [autologin(sites)]);
    const opener = await openTab(context, serviceWorker, `${sites.A}/opener.html`);
    const popup = context.waitForEvent('page');
    await opener.click('#popup-noopener');
    const page = await popup;
    await page.waitForLoadState('load');
    await settle(page, 1200);
    expect(await page.evaluate(() => [window.opener === null, document.referrer])).toEqual([true, '']);
    expect(await values(page, '#username', '#password')).toEqual(['', '']);
  });

  // The two below need the webNavigation permission: without a referrer nothing else tells.
  test('never at the end of a server redirect, even one that leaves no referrer', async ({ context, extensionId, sites, serviceWorker }) => {
    sites.route('/bounce', (_req, res) => {
      res.writeHead(302, { location: `${sites.S}/login.html`, 'referrer-policy': 'no-referrer' });
      res.end();
    });
    await seed(context, extensionId, [autologin(sites)]);
    const page = await openTab(context, serviceWorker, `${sites.B}/bounce`);
    await page.waitForURL(`${sites.S}/login.html`);
    await settle(page, 1200);
    expect(await page.evaluate(() => document.referrer)).toBe('');
    expect(await values(page, '#username', '#password')).toEqual(['', '']);
  });

  test('never at the end of a script redirect that leaves no referrer', async ({ context, extensionId, sites, serviceWorker }) => {
    await seed(context, extensionId, [autologin(sites)]);
    const page = await openTab(context, serviceWorker, `http://localhost:${sites.ports.B}/opener.html#quiet-redirect`);
    await page.waitForURL(`${sites.S}/login.html`);
    await settle(page, 1200);
    expect(await page.evaluate(() => document.referrer)).toBe('');
    expect(await values(page, '#username', '#password')).toEqual(['', '']);
  });

  test('a tab the person opened does fill (control for the ones above)', async ({ context, extensionId, sites, serviceWorker }) => {
    await seed(context, extensionId, [autologin(sites)]);
    const page = await openTab(context, serviceWorker, `${sites.S}/login.html`);
    await expect(page.locator('#password')).toHaveValue(PASS);
  });

  // The background hands the fill over as the document starts (autofill.ready); the page's form
  // decides the rest, as with a claim: visible fields, a login kind, once per page and minute.
  test('into visible fields only; a hidden password is not filled on load', async ({ context, extensionId, sites, serviceWorker }) => {
    await seed(context, extensionId, [autologin(sites)]);
    for (const how of ['display-none', 'transparent-field', 'off-screen', 'faded-ancestor', 'clipped']) {
      const page = await openTab(context, serviceWorker, `${sites.S}/visibility.html#${how}`);
      await settle(page, 1000);
      expect(await values(page, '#password'), how).toEqual(['']);
      if (how !== 'display-none' && how !== 'transparent-field') expect(await values(page, '#username'), how).toEqual(['']);
      await page.close();
    }
    const page = await openTab(context, serviceWorker, `${sites.S}/visibility.html#visible`);
    await expect(page.locator('#password')).toHaveValue(PASS);
  });

  test('never into a sign-up form', async ({ context, extensionId, sites, serviceWorker }) => {
    await seed(context, extensionId, [autologin(sites)]);
    const page = await openTab(context, serviceWorker, `${sites.S}/signup.html`);
    await settle(page, 1200);
    expect(await page.evaluate(() => [...document.querySelectorAll('input')].map((i) => i.value).filter(Boolean))).toEqual([]);
  });

  test('a username step, then the password step; and not again when the page is reloaded', async ({ context, extensionId, sites, serviceWorker }) => {
    await seed(context, extensionId, [autologin(sites)]);
    const page = await openTab(context, serviceWorker, `${sites.S}/step-username.html`);
    await expect(page.locator('#username')).toHaveValue(USER);
    await Promise.all([page.waitForURL(/step-password/), page.click('#next')]);
    await expect(page.locator('#password')).toHaveValue(PASS);
    await page.reload();
    await settle(page, 1200);
    expect(await values(page, '#password')).toEqual(['']);
  });
});
