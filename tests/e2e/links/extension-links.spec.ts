// Link shares from the extension, the paths link-shares.spec.ts leaves out: a link for named email
// addresses made in the dialog and opened with the code the server mails (read from a local SMTP
// server); the right-click menu on a locked vault (the extension's window asks to unlock first,
// then carries on to the dialog); and deleting the entry, which ends its link.
import { chromium, expect, test, type Browser } from '@playwright/test';
import { CHROMIUM } from '../fixtures';
import { PopupPage } from '../pages/popup';
import { MASTER_PASSWORD } from '../pages/seed';
import { startServer, type RunningServer } from '../server';
import { startSmtp, type Smtp } from '../../server/smtp';
import { ARGON, createFromDialog, reveal, rightClickCreateLink, sender } from './extension-sender';

let server: RunningServer;
let smtp: Smtp;
let recipientBrowser: Browser;

test.beforeAll(async () => {
  smtp = await startSmtp();
  server = await startServer({ SMTP_URL: smtp.url });
  recipientBrowser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
});
test.afterAll(async () => {
  await recipientBrowser?.close();
  await server?.stop();
  await smtp?.close();
});

test('a link for named addresses, made in the dialog, opens only with the code mailed to one of them', async () => {
  test.setTimeout(180_000);
  const a = await sender(server.url, 'hal', [{ title: 'Payroll', username: 'hal', password: 'pw-payroll', urls: ['https://payroll.example'] }]);
  try {
    const popup = await PopupPage.open(a.context, a.extensionId);
    await popup.openEntry('Payroll');
    await popup.page.getByRole('button', { name: 'Share', exact: true }).click();
    await popup.page.getByRole('button', { name: 'Link share…' }).click();
    await popup.page.getByLabel('Only these email addresses').check();
    await popup.page.getByLabel('Email addresses', { exact: true }).fill('ivy@example.com, joe@example.com');
    const { url, pin } = await createFromDialog(popup.page, server.url);

    const page = await (await recipientBrowser.newContext()).newPage();
    await page.goto(url);
    await expect(page.locator('#sender')).toHaveText('Shared by hal');
    await expect(page.getByLabel('Your email address')).toBeFocused();
    // The PIN alone does not open it.
    await page.getByLabel('PIN', { exact: true }).fill(pin);
    await page.getByRole('button', { name: 'Reveal' }).click();
    await expect(page.getByText('That code is wrong or has expired. Ask for a new one.')).toBeVisible({ timeout: ARGON });
    // An address that is not one of the link's gets the same answer, and no mail.
    await page.getByLabel('Your email address').fill('mallory@example.com');
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await expect(page.getByText('If this address may open the link, a code is on its way')).toBeVisible();

    await page.getByLabel('Your email address').fill('joe@example.com');
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await expect.poll(() => smtp.inbox.filter((m) => m.to.includes('joe@example.com')).length, { timeout: 10_000 }).toBe(1);
    const mail = smtp.inbox.find((m) => m.to.includes('joe@example.com'))!;
    const code = /is (\d{8})/.exec(mail.raw.replace(/=\r?\n/g, ''))![1]!;
    expect(smtp.inbox.some((m) => m.to.includes('mallory@example.com'))).toBe(false);
    expect(mail.raw).not.toContain(pin);

    await page.getByLabel('Code from the email (8 digits)').fill(code);
    await page.getByLabel('PIN', { exact: true }).fill(pin);
    await page.getByRole('button', { name: 'Reveal' }).click();
    await expect(page.getByRole('heading', { name: /^Shared with you/ })).toBeVisible({ timeout: ARGON });
    await page.getByRole('button', { name: 'Show the password of Payroll' }).click();
    await expect(page.getByText('pw-payroll')).toBeVisible();
    await page.context().close();
  } finally {
    await a.close();
  }
});

test('the right-click menu on a locked vault: its window asks to unlock, then opens the link dialog for the page’s entry', async () => {
  test.setTimeout(180_000);
  const a = await sender(server.url, 'kim', [{ title: 'Shop', username: 'kim', password: 'pw-kim-shop', urls: ['https://shop.example'] }]);
  try {
    await a.ext.call('session.lock');
    const win = await rightClickCreateLink(a, 'https://shop.example/cart');
    await expect(win.getByRole('heading', { name: 'Unlock Latchkey' })).toBeVisible();
    // Nothing of the vault shows before the unlock.
    await expect(win.getByTestId('link-entries')).toHaveCount(0);
    const popup = new PopupPage(win, a.extensionId);
    await popup.submitUnlock(MASTER_PASSWORD);
    await expect(win.getByTestId('link-entries')).toHaveText('A copy of Shop', { timeout: ARGON });
    const { url, pin } = await createFromDialog(win, server.url);
    const page = await reveal(recipientBrowser, url, pin);
    await page.getByRole('button', { name: 'Show the password of Shop' }).click();
    await expect(page.getByText('pw-kim-shop')).toBeVisible();
    await page.context().close();
  } finally {
    await a.close();
  }
});

test('deleting the entry ends its link: the pick-up page refuses it and My link shares says so', async () => {
  test.setTimeout(180_000);
  const a = await sender(server.url, 'lea', [{ title: 'Alarm', username: 'lea', password: 'pw-alarm', urls: ['https://alarm.example'] }]);
  try {
    const [entry] = (await a.ext.call('vault.list')).entries;
    const made = await a.ext.call('links.create', {
      entryIds: [entry!.id], title: 'Alarm code', maxUses: 5, expiresAt: Date.now() + 3_600_000,
      protection: { kind: 'pin', pin: '97531' }, includeNotes: false, emails: [],
    });
    // The control: before the deletion the link opens.
    const opened = await reveal(recipientBrowser, made.url, '97531');
    await opened.context().close();

    await a.ext.call('vault.delete', { id: entry!.id });
    await expect.poll(async () => (await a.ext.call('sync.now')).pending, { timeout: 10_000 }).toBe(0);
    const page = await (await recipientBrowser.newContext()).newPage();
    await page.goto(made.url);
    await expect(page.getByRole('heading', { name: 'This link does not open' })).toBeVisible();
    await page.context().close();

    const popup = await PopupPage.open(a.context, a.extensionId);
    await popup.page.getByRole('button', { name: 'Settings' }).click();
    await popup.page.getByRole('button', { name: 'My link shares' }).click();
    const item = popup.page.getByTestId('link-share').filter({ hasText: 'Alarm code' });
    await expect(item.getByTestId('link-state')).toHaveText('Revoked');
  } finally {
    await a.close();
  }
});
