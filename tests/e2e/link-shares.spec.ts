// Link shares from the extension (issue 12): created from the popup, the right-click menu and a
// bulk selection, opened in a browser without the extension (the server's pick-up page), followed
// live in "My link shares", revoked, and saved into the vault of a second profile.
import { chromium, expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { CHROMIUM } from './fixtures';
import { createFromDialog as createDialogLink, reveal as revealIn, rightClickCreateLink, sender as senderOn, type EntryInput } from './links/extension-sender';
import { PopupPage } from './pages/popup';
import { startServer, type RunningServer } from './server';

let server: RunningServer;
let recipientBrowser: Browser;

test.beforeAll(async () => {
  server = await startServer();
  recipientBrowser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
});

test.afterAll(async () => {
  await recipientBrowser?.close();
  await server?.stop();
});

const sender = (username: string, entries: EntryInput[]) => senderOn(server.url, username, entries);
const createFromDialog = (page: Page) => createDialogLink(page, server.url);
const reveal = (url: string, pin: string, context?: BrowserContext) => revealIn(recipientBrowser, url, pin, context);

test('from an entry: Share → Link share…, a PIN shown once, copy, mail draft without the PIN; a browser without the extension reveals it', async () => {
  test.setTimeout(180_000);
  const a = await sender('ann', [{ title: 'Mail', username: 'ann', password: 'pw-mail-1', urls: ['https://mail.example'] }]);
  try {
    await a.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const popup = await PopupPage.open(a.context, a.extensionId);
    await popup.openEntry('Mail');
    await popup.page.getByRole('button', { name: 'Share', exact: true }).click();
    await popup.page.getByRole('button', { name: 'Link share…' }).click();
    await expect(popup.page.getByText('The link holds a copy of the entries as they are now.', { exact: false })).toBeVisible();
    const { url, pin } = await createFromDialog(popup.page);
    await expect(popup.page.getByText('Pass it on by phone or SMS, never in the same message as the link.')).toBeVisible();

    await popup.page.getByRole('button', { name: 'Copy the link' }).click();
    await expect(popup.toast).toContainText('Link copied');
    expect(await popup.page.evaluate(() => navigator.clipboard.readText())).toBe(url);

    const mailto = (await popup.page.getByTestId('link-mailto').getAttribute('href'))!;
    expect(decodeURIComponent(mailto)).toContain(url);
    expect(decodeURIComponent(mailto)).not.toContain(pin);

    await popup.page.getByRole('button', { name: 'Email it for me' }).click();
    await expect(popup.page.getByTestId('link-email-warning')).toContainText('passes through the Latchkey server');

    // Who sent it: the pick-up page names the sender's account, before anything is revealed.
    const before = await (await recipientBrowser.newContext()).newPage();
    await before.goto(url);
    await expect(before.locator('#sender')).toHaveText('Shared by ann');
    await before.context().close();

    const page = await reveal(url, pin);
    await page.getByRole('button', { name: 'Show the password of Mail' }).click();
    await expect(page.getByText('pw-mail-1')).toBeVisible();
    await page.context().close();

    // Leaving the screen forgets the PIN: it is shown once.
    await popup.page.keyboard.press('Escape');
    await expect(popup.search).toBeVisible();
    await expect(popup.page.getByText(pin)).toHaveCount(0);
  } finally {
    await a.close();
  }
});

test('the right-click menu opens the link dialog in the extension’s own window for the page’s entries', async () => {
  test.setTimeout(180_000);
  const a = await sender('bea', [
    { title: 'Shop', username: 'bea', password: 'pw-shop', urls: ['https://shop.example'] },
    { title: 'Forum main', username: 'bea', password: 'pw-forum-1', urls: ['https://forum.example'] },
    { title: 'Forum alt', username: 'bea2', password: 'pw-forum-2', urls: ['https://forum.example'] },
  ]);
  try {
    // One entry for the site: straight to the dialog.
    let win = await rightClickCreateLink(a, 'https://shop.example/cart');
    await expect(win.getByTestId('link-entries')).toHaveText('A copy of Shop');
    const { url, pin } = await createFromDialog(win);
    const page = await reveal(url, pin);
    await expect(page.getByText('pw-shop')).toBeHidden();
    await page.getByRole('button', { name: 'Show the password of Shop' }).click();
    await expect(page.getByText('pw-shop')).toBeVisible();
    await page.context().close();

    // Two entries for the site: pick one first.
    win = await rightClickCreateLink(a, 'https://forum.example/t/1');
    await expect(win.getByRole('heading', { name: 'Create link share' })).toBeVisible();
    await win.getByRole('button', { name: 'Forum alt' }).click();
    await expect(win.getByTestId('link-entries')).toHaveText('A copy of Forum alt');
  } finally {
    await a.close();
  }
});

test('several entries selected in the list go into one link', async () => {
  test.setTimeout(180_000);
  const a = await sender('cyd', [
    { title: 'Alpha', username: 'cy', password: 'pw-alpha', urls: ['https://alpha.example'] },
    { title: 'Beta', username: 'cy', password: 'pw-beta', urls: ['https://beta.example'] },
    { title: 'Gamma', username: 'cy', password: 'pw-gamma', urls: ['https://gamma.example'] },
  ]);
  try {
    const popup = await PopupPage.open(a.context, a.extensionId);
    await popup.page.getByRole('button', { name: 'Select entries' }).click();
    await popup.row('Alpha').click();
    // Keyboard: the search box drives the grid; Enter selects the highlighted row in selection mode.
    await popup.search.focus();
    await popup.search.press('End');
    await popup.search.press('ArrowUp');
    await popup.search.press('ArrowUp');
    await popup.search.press('ArrowDown');
    await popup.search.press('Enter');
    await expect(popup.page.getByTestId('selection-count')).toHaveText('2 selected');
    await expect(popup.row('Beta')).toHaveAttribute('aria-selected', 'true');
    await expect(popup.row('Gamma')).toHaveAttribute('aria-selected', 'false');
    await popup.page.getByRole('button', { name: 'Link share…' }).click();
    await expect(popup.page.getByTestId('link-entries')).toHaveText('A copy of 2 entries: Alpha, Beta');
    const { url, pin } = await createFromDialog(popup.page);
    const page = await reveal(url, pin);
    await expect(page.getByRole('heading', { name: 'Alpha' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Beta' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Gamma' })).toHaveCount(0);
    await page.context().close();
  } finally {
    await a.close();
  }
});

test('My link shares shows the link opened, live, and Revoke makes the pick-up page refuse it', async () => {
  test.setTimeout(180_000);
  const a = await sender('dee', [{ title: 'Wiki', username: 'dee', password: 'pw-wiki', urls: ['https://wiki.example'] }]);
  try {
    const [wiki] = (await a.ext.call('vault.list')).entries;
    const made = await a.ext.call('links.create', {
      entryIds: [wiki!.id], title: 'Wiki for Eve', maxUses: 3, expiresAt: Date.now() + 86_400_000,
      protection: { kind: 'pin', pin: '24680' }, includeNotes: false, emails: [],
    });
    await expect.poll(async () => (await a.ext.call('account.status')).live, { timeout: 10_000 }).toBe(true);
    const popup = await PopupPage.open(a.context, a.extensionId);
    await popup.page.getByRole('button', { name: 'Settings' }).click();
    await popup.page.getByRole('button', { name: 'My link shares' }).click();
    const item = popup.page.getByTestId('link-share').filter({ hasText: 'Wiki for Eve' });
    await expect(item.getByTestId('link-opened')).toHaveText('Not opened yet');
    await expect(item.getByTestId('link-uses')).toHaveText('3 of 3 uses left');

    const recipient = await recipientBrowser.newContext();
    const page = await reveal(made.url, '24680', recipient);
    // No reload, no refresh button: the live stream brings it.
    await expect(item.getByTestId('link-opened')).toContainText('Opened 1 time', { timeout: 10_000 });
    await expect(item.getByTestId('link-uses')).toHaveText('2 of 3 uses left');

    await item.getByRole('button', { name: 'Revoke the link “Wiki for Eve”' }).click();
    const dialog = popup.page.getByRole('dialog');
    await expect(dialog).toContainText('Revoke “Wiki for Eve”?');
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await expect(item.getByTestId('link-state')).toHaveText('Revoked');
    await expect(item.getByRole('button', { name: /Revoke/ })).toHaveCount(0);

    await page.goto('about:blank');
    await page.goto(made.url);
    await expect(page.getByRole('heading', { name: 'This link does not open' })).toBeVisible({ timeout: 20_000 });
    await recipient.close();
  } finally {
    await a.close();
  }
});

test('a second profile with the extension saves the revealed entries into its vault, into a chosen folder', async () => {
  test.setTimeout(180_000);
  const a = await sender('fay', [{ title: 'Router admin', username: 'admin', password: 'pw-router', urls: ['https://router.example'] }]);
  const b = await sender('gus', []);
  try {
    const [entry] = (await a.ext.call('vault.list')).entries;
    const made = await a.ext.call('links.create', {
      entryIds: [entry!.id], title: 'Router', maxUses: 1, expiresAt: Date.now() + 3_600_000,
      protection: { kind: 'pin', pin: '11223' }, includeNotes: false, emails: [],
    });
    const page = await reveal(made.url, '11223', b.context);
    const popup = await PopupPage.openOver(b.context, b.extensionId, page.url());
    await popup.page.getByRole('button', { name: 'Save shared entries…' }).click();
    await expect(popup.page.getByTestId('pickup-preview')).toContainText('Router admin');
    await popup.page.getByLabel('Folder', { exact: true }).fill('From Fay');
    await popup.page.getByRole('button', { name: 'Save 1 shared entry' }).click();
    await expect(popup.toast).toContainText('1 shared entry saved');
    await popup.expectTitles(['Router admin']);
    const [saved] = (await b.ext.call('vault.list')).entries;
    expect(saved!.folder).toBe('From Fay');
    expect((await b.ext.call('vault.get', { id: saved!.id })).password).toBe('pw-router');
    // It syncs like any entry.
    await expect.poll(async () => (await b.ext.call('sync.now')).pending, { timeout: 10_000 }).toBe(0);
  } finally {
    await a.close();
    await b.close();
  }
});
