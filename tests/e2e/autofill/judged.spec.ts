// Issue 11: fills an attack suite drove through the popup's Fill and the context menu. Each case:
// the page that fooled it, and the ordinary page beside it that must still be filled.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PopupPage } from '../pages/popup';
import { test, expect, seed, openPage, fillFromPopup, values, clickMenu } from './harness';

const USER = 'alice@example.com';
const PASS = 'pw-Alice-1!';

/** Whether the password is anywhere in the page's inputs (whatever they have become). */
const passwordAnywhere = (page: import('@playwright/test').Page) =>
  page.evaluate((pass) => [...document.querySelectorAll('input')].some((i) => i.value.includes(pass)), PASS);

test.describe('15. a login saved on http follows its site to https', () => {
  test('saved on http, page on https (same host and port): filled', async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [`${sites.A}/login.html`] }]);
    const secure = await openPage(context, `${sites.S}/login.html`);
    expect(await fillFromPopup(ext, secure)).toMatchObject({ status: 'filled' });
    expect(await values(secure, '#username', '#password')).toEqual([USER, PASS]);
  });

  test('saved on https, page on http: still nothing (SECURITY.md 7)', async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'S', username: USER, password: PASS, urls: [`${sites.S}/login.html`] }]);
    const plain = await openPage(context, `${sites.A}/login.html`);
    expect((await fillFromPopup(ext, plain)).status).not.toBe('filled');
    expect(await values(plain, '#username', '#password')).toEqual(['', '']);
  });
});

test.describe('17. a covered field is not filled', () => {
  test('an opaque element over the form: nothing filled, from the popup or the menu', async ({ context, extensionId, sites, serviceWorker }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
    const page = await openPage(context, `${sites.A}/covered.html#cover`);
    const outcome = await fillFromPopup(ext, page);
    expect(outcome).toMatchObject({ status: 'refused', message: 'Something on the page covers the field; nothing was filled.' });
    expect(await values(page, '#username', '#password')).toEqual(['', '']);

    // The menu on the page: the toolbar button says it refused (and the same menu fills the uncovered page).
    await clickMenu(serviceWorker, ext, page, 'latchkey-fill');
    await expect.poll(() => ext.tabIdOf(page.url()).then((id) => ext.badge(id))).toBe('!');
    expect(await values(page, '#username', '#password')).toEqual(['', '']);
    const plain = await openPage(context, `${sites.A}/covered.html#visible`);
    await clickMenu(serviceWorker, ext, plain, 'latchkey-fill');
    await expect(plain.locator('#password')).toHaveValue(PASS);
  });

  for (const how of ['visible', 'floating', 'glass']) {
    test(`the field's own labels and icons, or a see-through layer, do not count as covering (#${how})`, async ({ context, extensionId, sites }) => {
      const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
      const page = await openPage(context, `${sites.A}/covered.html#${how}`);
      expect(await fillFromPopup(ext, page)).toMatchObject({ status: 'filled' });
      expect(await values(page, '#username', '#password')).toEqual([USER, PASS]);
    });
  }
});

test.describe('18. a password goes only into the field detected at the click, while it is a password field', () => {
  for (const [how, wait] of [['load', 0], ['load', 1500], ['late', 1500], ['input', 0], ['input', 1500]] as const) {
    test(`the page turns the password field into a comment box (#${how}, Fill after ${wait} ms)`, async ({ context, extensionId, sites }) => {
      const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
      const page = await openPage(context, `${sites.A}/retype.html#${how}`);
      if (wait) await page.waitForTimeout(wait);
      const outcome = await fillFromPopup(ext, page);
      expect(await passwordAnywhere(page)).toBe(false);
      expect(await page.locator('#password').inputValue()).not.toBe(PASS);
      // The background's answer came back (a decision was taken): a fill of the username at most.
      expect(['filled', 'refused']).toContain(outcome.status);
    });
  }

  test('after the person typed in the username (the switch on its first input), Fill puts no password in the comment box', async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
    const page = await openPage(context, `${sites.A}/retype.html#input`);
    await page.locator('#username').pressSequentially('ali');
    await expect(page.locator('#password')).toHaveAttribute('type', 'text');
    await page.waitForTimeout(500);
    await fillFromPopup(ext, page);
    expect(await passwordAnywhere(page)).toBe(false);
    // Positive control: the same page, left alone, is filled.
    const plain = await openPage(context, `${sites.A}/retype.html#none`);
    expect(await fillFromPopup(ext, plain)).toMatchObject({ status: 'filled' });
    expect(await values(plain, '#username', '#password')).toEqual([USER, PASS]);
  });
});

test.describe('19. a sandboxed page (opaque origin) is offered nothing', () => {
  test('the popup shows no "This site" and no Fill over a page served with CSP sandbox', async ({ context, extensionId, sites }) => {
    const login = readFileSync(join('tests/e2e/sites/pages', 'login.html'), 'utf8');
    sites.route('/sandboxed-login.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': 'sandbox allow-scripts allow-forms' });
      res.end(login);
    });
    // "Zed" is the site's entry, "Alpha" another site's: the site's entries are listed first.
    const { ext } = await seed(context, extensionId, [
      { title: 'Zed', username: USER, password: PASS, urls: [sites.A] },
      { title: 'Alpha', username: 'a', password: 'pw-a', urls: ['https://alpha.example'] },
    ]);
    // Positive control: the same page, not sandboxed, is "This site" with a Fill button.
    const plain = await openPage(context, `${sites.A}/login.html`);
    const over = await PopupPage.openOver(context, extensionId, plain.url());
    await over.expectTitles(['Zed', 'Alpha']);
    await expect(over.row('Zed').locator('.site')).toHaveText('This site');
    await over.openEntry('Zed');
    await expect(over.page.getByRole('button', { name: 'Fill', exact: true })).toBeVisible();

    const sandboxed = await openPage(context, `${sites.A}/sandboxed-login.html`);
    expect(await sandboxed.evaluate(() => self.origin)).toBe('null');
    const popup = await PopupPage.openOver(context, extensionId, sandboxed.url());
    // The popup asked the page for its origin and ranked the list for no page: by title.
    await popup.expectTitles(['Alpha', 'Zed']);
    await expect(popup.page.locator('.site')).toHaveCount(0);
    await popup.openEntry('Zed');
    await expect(popup.page.getByRole('button', { name: 'Open & log in' })).toBeVisible();
    await expect(popup.page.getByRole('button', { name: 'Fill', exact: true })).toHaveCount(0);
    // And the background refuses the fill itself (as it did before).
    expect((await fillFromPopup(ext, sandboxed)).status).not.toBe('filled');
    expect(await values(sandboxed, '#username', '#password')).toEqual(['', '']);
  });
});

test.describe('20. a password step with its username in a hidden input is a login step', () => {
  test('one current-password field (id "current-password") is filled', async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
    const page = await openPage(context, `${sites.A}/step-hidden.html`);
    expect(await fillFromPopup(ext, page)).toMatchObject({ status: 'filled' });
    await expect(page.locator('#current-password')).toHaveValue(PASS);
  });
});

test.describe('21. a visible same-origin frame is filled; a covered one is not', () => {
  test("a tight form in a frame (the button's box starts at the field's bottom edge)", async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
    const page = await openPage(context, `${sites.A}/edge-frame.html`);
    const frame = page.frameLocator('#frame');
    await expect(frame.locator('#password')).toBeVisible();
    expect(await fillFromPopup(ext, page)).toMatchObject({ status: 'filled' });
    await expect(frame.locator('#password')).toHaveValue(PASS);
    await expect(frame.locator('#username')).toHaveValue(USER);
  });

  test('the same frame under an opaque element of the page', async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
    const page = await openPage(context, `${sites.A}/edge-frame.html#covered`);
    const frame = page.frameLocator('#frame');
    await expect(frame.locator('#password')).toBeAttached();
    expect(await fillFromPopup(ext, page)).toMatchObject({ status: 'refused', message: 'The frame is covered or transparent; nothing was filled.' });
    await expect(frame.locator('#password')).toHaveValue('');
  });
});

test.describe('22. a checkout is no login form', () => {
  for (const how of ['', '#plain']) {
    test(`a receipt e-mail and a type=password card code get no login (${how || 'autocomplete tokens'})`, async ({ context, extensionId, sites }) => {
      const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
      const page = await openPage(context, `${sites.A}/checkout.html${how}`);
      expect(await fillFromPopup(ext, page)).toMatchObject({ status: 'nothing', message: 'Latchkey found no login form on this page.' });
      expect(await page.evaluate(() => [...document.querySelectorAll('input')].map((i) => i.value).join(''))).toBe('');
      // The login page of the same site still is one.
      const login = await openPage(context, `${sites.A}/login.html`);
      expect(await fillFromPopup(ext, login)).toMatchObject({ status: 'filled' });
    });
  }
});
