// One-time codes in autologin (issue 15): the step that asks for the code gets the entry's current
// code, made in the background, under the same rules as the password (SECURITY.md 1–12); a frame of
// another origin or another site gets nothing; after a fill that logs in, the code is on the
// clipboard for the next step.
import type { Page } from '@playwright/test';
import { TOTP } from 'otpauth';
import { PopupPage } from '../pages/popup';
import { test, expect, seed, openPage, openTab, fillFromPopup, values } from './harness';

const USER = 'alice@example.com';
const PASS = 'pw-Alice-1!';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const URI = `otpauth://totp/Example:alice?secret=${SECRET}&issuer=Example`;
const totp = new TOTP({ secret: SECRET });

/** The current code, or the one just before it (the period may turn during the test). */
const recentCodes = () => [totp.generate(), totp.generate({ timestamp: Date.now() - 30_000 })];
const codeOf = (body: string) => new URLSearchParams(body).get('code') ?? new URLSearchParams(body).get('totp_code');

const readClipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

test.describe('the one-time-code step', () => {
  test('fill on load logs in over https, then fills and sends the code on the next step', async ({ context, extensionId, sites, serviceWorker }) => {
    await seed(context, extensionId, [{ title: 'S', username: USER, password: PASS, urls: [sites.S], totp: URI, autologin: { enabled: true, autoSubmit: true } }]);
    const before = sites.submissions.length;
    const page = await openTab(context, serviceWorker, `${sites.S}/two-step.html`);
    await page.waitForURL(/submit\/code/, { timeout: 15_000 });
    const sent = sites.submissions.slice(before).find((s) => s.path === '/submit/code');
    expect(sent?.origin).toBe(sites.S);
    expect(recentCodes()).toContain(codeOf(sent!.body));
    // The secret itself never reached the page.
    expect(sent!.body).not.toContain(SECRET);
  });

  test('the popup fills a recognisable code field (no autocomplete) with the current code', async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A], totp: URI }]);
    const page = await openPage(context, `${sites.A}/code-plain.html`);
    expect(await fillFromPopup(ext, page)).toMatchObject({ status: 'filled' });
    expect(recentCodes()).toContain(await page.locator('#totp').inputValue());
  });

  test("another site's code step in a frame, or another site's page, gets no code", async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A], totp: URI }]);
    // Positive control: the entry's own site, top frame.
    const own = await openPage(context, `${sites.A}/code-step.html`);
    expect(await fillFromPopup(ext, own)).toMatchObject({ status: 'filled' });
    expect(recentCodes()).toContain(await own.locator('#code').inputValue());

    const framed = await openPage(context, `${sites.A}/code-frame.html`);
    const frame = framed.frameLocator('#frame');
    await expect(frame.locator('#code')).toBeVisible();
    expect((await fillFromPopup(ext, framed)).status).not.toBe('filled');
    await expect(frame.locator('#code')).toHaveValue('');

    const other = await openPage(context, `${sites.B}/code-step.html`);
    expect(await fillFromPopup(ext, other)).toMatchObject({ status: 'refused' });
    expect(await values(other, '#code')).toEqual(['']);
  });

  test('the popup’s Fill on the login step copies the current code for the next step', async ({ context, extensionId, sites }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A], totp: URI }]);
    const page = await openPage(context, `${sites.A}/two-step.html`);
    const popup = await PopupPage.openOver(context, extensionId, page.url());
    await popup.openEntry('A');
    await popup.page.getByRole('button', { name: 'Fill', exact: true }).click();
    await expect(page.locator('#password')).toHaveValue(PASS);
    await expect.poll(() => readClipboard(popup.page)).toMatch(/^\d{6}$/);
    expect(recentCodes()).toContain(await readClipboard(popup.page));
  });

  test('"Open & log in" fills the password, copies the code, and fills the code step', async ({ context, extensionId, sites }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const { ext, ids } = await seed(context, extensionId, [{ title: 'S', username: USER, password: PASS, urls: [`${sites.S}/two-step.html`], totp: URI, autologin: { autoSubmit: true } }]);
    const before = sites.submissions.length;
    const opened = context.waitForEvent('page');
    await ext.call('autofill.openAndLogin', { entryId: ids[0]! });
    const page = await opened;
    await page.waitForURL(/submit\/code/, { timeout: 15_000 });
    const sent = sites.submissions.slice(before).find((s) => s.path === '/submit/code');
    expect(recentCodes()).toContain(codeOf(sent!.body));
    await expect.poll(() => readClipboard(ext.page)).toMatch(/^\d{6}$/);
    expect(recentCodes()).toContain(await readClipboard(ext.page));
  });
});
