// The recipient's side of link shares in plain Chromium, without the extension: a real server, links
// made in Node as a signed-in sender would, the pick-up page driven as a person would (keyboard
// included). PIN, three wrong PINs, passphrase, a 2-use link opened three times, an expired link,
// an email-restricted link with the code read from a local SMTP server, and axe-core in each state.
import AxeBuilder from '@axe-core/playwright';
import { chromium, expect, test, type Browser, type Page, type Request } from '@playwright/test';
import { CHROMIUM } from '../fixtures';
import { startServer, type RunningServer } from '../server';
import { startSmtp, type Smtp } from '../../server/smtp';
import { createLink, signUpSender, type Sender } from './link-helper';

const ENTRY = { title: 'Bank', username: 'ana@example.com', password: 'c0rrect-h0rse!', urls: ['https://bank.example/login'], notes: 'Branch 12' };

let server: RunningServer;
let smtp: Smtp;
let browser: Browser;
let sender: Sender;

test.beforeAll(async () => {
  smtp = await startSmtp();
  server = await startServer({ SMTP_URL: smtp.url });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  sender = await signUpSender(server.url);
});
test.afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await smtp?.close();
});

/** A fresh context (no extension), every request recorded. */
async function openLink(url: string): Promise<{ page: Page; requests: Request[] }> {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
  const page = await context.newPage();
  const requests: Request[] = [];
  page.on('request', (r) => requests.push(r));
  await page.goto(url);
  return { page, requests };
}

async function expectAccessible(page: Page, state: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);
  expect(bad, state).toEqual([]);
}

/** No request carries the fragment (URL or Referer), and every request stays on the server's origin. */
async function expectFragmentKept(requests: Request[], secret: string): Promise<void> {
  expect(requests.length).toBeGreaterThan(2);
  for (const r of requests) {
    expect(r.url()).not.toContain(secret);
    expect(new URL(r.url()).origin).toBe(server.url);
    const headers = await r.allHeaders();
    expect(JSON.stringify(headers)).not.toContain(secret);
    expect(headers.referer).toBeUndefined();
    expect(r.postData() ?? '').not.toContain(secret);
  }
}

test('reveals a PIN link: fields, show/hide, copy, the save hint and window.latchkeyPickup', async () => {
  const link = await createLink(sender, { entries: [ENTRY], title: 'Bank login for Bo', protection: { kind: 'pin', pin: '40291' } });
  const { page, requests } = await openLink(link.url);
  await expect(page.getByRole('heading', { name: 'Bank login for Bo' })).toBeVisible();
  await expect(page.getByText(`Shared by Ana Sender (${sender.username})`)).toBeVisible();
  await expect(page.getByText('Wrong tries left before the link is deleted: 3')).toBeVisible();
  const pin = page.getByLabel('PIN', { exact: true });
  await expect(pin).toBeFocused();
  await expectAccessible(page, 'before reveal');

  await page.keyboard.type('40291');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Shared with you: Bank login for Bo' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('ana@example.com')).toBeVisible();
  await expect(page.getByText('c0rrect-h0rse!')).toBeHidden();
  await page.getByRole('button', { name: 'Show the password of Bank' }).click();
  await expect(page.getByText('c0rrect-h0rse!')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy the Password of Bank' })).toBeVisible();
  await expect(page.getByText('Have Latchkey? Open it from the toolbar and choose Save these entries.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Download as CSV' })).toBeVisible();
  const exposed = await page.evaluate(() => (window as unknown as { latchkeyPickup?: unknown }).latchkeyPickup);
  expect(exposed).toEqual({ v: 1, linkId: link.id, entries: [ENTRY] });
  expect(await page.evaluate(() => Object.isFrozen((window as unknown as { latchkeyPickup: object }).latchkeyPickup))).toBe(true);
  await expectAccessible(page, 'revealed');
  // The page fits 375 px without sideways scrolling.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await expectFragmentKept(requests, link.secret);

  // CSV download (papaparse, loaded on click).
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download as CSV' }).click()]);
  const csv = await download.createReadStream().then(async (s) => {
    let text = '';
    for await (const chunk of s) text += chunk;
    return text;
  });
  expect(csv).toContain('ana@example.com');
  expect(csv.split('\n')[0]).toContain('password');
  await page.context().close();
});

test('three wrong PINs delete the link, and the page says so', async () => {
  const link = await createLink(sender, { entries: [ENTRY], title: 'Three tries', protection: { kind: 'pin', pin: '11111' } });
  const { page } = await openLink(link.url);
  const pin = page.getByLabel('PIN', { exact: true });
  for (const [guess, left] of [['22222', 2], ['33333', 1]] as const) {
    await pin.fill(guess);
    await page.getByRole('button', { name: 'Reveal' }).click();
    await expect(page.getByText('That PIN is not right.')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByText(`Wrong tries left before the link is deleted: ${left}`)).toBeVisible();
  }
  await pin.fill('44444');
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.getByRole('heading', { name: 'This link is deleted' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('Three wrong PINs: the link and its copy of the entries are deleted.', { exact: false })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'This link does not open' })).toBeVisible();
  await page.context().close();
});

test('a passphrase link opens with its passphrase', async () => {
  const link = await createLink(sender, { entries: [ENTRY, { ...ENTRY, title: 'Mail', username: 'ana@mail.example', notes: undefined }], title: 'Two logins', protection: { kind: 'passphrase', passphrase: 'blue canoe at dawn' } });
  const { page } = await openLink(link.url);
  await expect(page.getByText('Wrong tries left before the link is deleted: 10')).toBeVisible();
  await page.getByLabel('Passphrase').fill('blue canoe at dawn');
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.getByRole('heading', { name: 'Mail' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('ana@mail.example')).toBeVisible();
  await page.context().close();
});

test('a 2-use link opens twice; the third time it is refused', async () => {
  const link = await createLink(sender, { entries: [ENTRY], title: 'Twice', protection: { kind: 'none' }, maxUses: 2 });
  for (let i = 0; i < 2; i++) {
    const { page } = await openLink(link.url);
    // Loading the page spends nothing: only the Reveal click does.
    await page.getByRole('button', { name: 'Reveal' }).click();
    await expect(page.getByText('ana@example.com')).toBeVisible({ timeout: 20_000 });
    await page.context().close();
  }
  const { page } = await openLink(link.url);
  await expect(page.getByRole('heading', { name: 'This link does not open' })).toBeVisible();
  await expectAccessible(page, 'refused');
  await page.context().close();
});

test('an expired link is refused', async () => {
  // Long enough for the first visit to load on a busy machine; the second comes after the expiry.
  const lifetimeMs = 8000;
  const expiresAt = Date.now() + lifetimeMs;
  const link = await createLink(sender, { entries: [ENTRY], title: 'Short', protection: { kind: 'none' }, expiresInMs: lifetimeMs });
  const { page } = await openLink(link.url);
  await expect(page.getByRole('heading', { name: 'Short' })).toBeVisible();
  await page.context().close();
  // Past its expiry by the server's clock (same machine).
  await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now()) + 200));
  const again = await openLink(link.url);
  await expect(again.page.getByRole('heading', { name: 'This link does not open' })).toBeVisible();
  await again.page.context().close();
});

test('an email-restricted link opens with the code mailed to the listed address', async () => {
  const link = await createLink(sender, { entries: [ENTRY], title: 'For Dana only', protection: { kind: 'pin', pin: '55555' }, emails: ['dana@example.com'] });
  const { page } = await openLink(link.url);
  await expect(page.getByLabel('Your email address')).toBeFocused();
  await page.getByLabel('PIN', { exact: true }).fill('55555');
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.getByText('That code is wrong or has expired. Ask for a new one.')).toBeVisible({ timeout: 20_000 });

  await page.getByLabel('Your email address').fill('dana@example.com');
  await page.getByRole('button', { name: 'Email me a code' }).click();
  await expect(page.getByText('If this address may open the link, a code is on its way')).toBeVisible();
  const mail = await expect.poll(() => smtp.inbox.find((m) => m.to.includes('dana@example.com'))).toBeTruthy().then(() => smtp.inbox.find((m) => m.to.includes('dana@example.com'))!);
  const code = /is (\d{8})/.exec(mail.raw.replace(/=\r?\n/g, ''))![1]!;
  await page.getByLabel('Code from the email (8 digits)').fill(code);
  await page.getByLabel('PIN', { exact: true }).fill('55555');
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.getByText('ana@example.com')).toBeVisible({ timeout: 20_000 });
  await page.context().close();
});
