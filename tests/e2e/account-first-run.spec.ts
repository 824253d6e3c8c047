// A new user's first steps with an account, on two browser profiles and one real server (issue 11,
// items 7, 8, 9 and 14): the first-run link lands on Sign in, a refused registration leaves no vault
// behind, the strength rule holds for registration, a locked vault unlocks before the server hears
// of it, and a browser whose own vault is in the way can start over.
import { expect, test } from '@playwright/test';
import { launchDevice as device } from './fixtures';
import { OptionsPage } from './pages/options';
import { PopupPage } from './pages/popup';
import { startServer, type RunningServer } from './server';

const PASSWORD = 'Tangerine-Orbit-Lantern-42';
const OTHER = 'Juniper-Quasar-Meadow-77';
let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test('the first-run link lands on Sign in; a refused registration leaves no vault, and signing in then works', async () => {
  test.setTimeout(180_000);
  const a = await device();
  const b = await device();
  try {
    const popupA = await PopupPage.open(a.context, a.extensionId);
    await popupA.createVault(PASSWORD);
    await popupA.addEntry({ title: 'Forge', username: 'dev@forge.example', password: 'forge-pw-1', urls: ['https://forge.example'] });
    const optionsA = await OptionsPage.open(a.context, a.extensionId);
    await optionsA.fillAccount({ mode: 'register', serverUrl: server.url, username: 'dana', email: 'dana@example.com', password: PASSWORD });
    await optionsA.expectSignedInAs('dana');

    // B, first run: "Sign in to your account" opens the options page on Sign in.
    const popupB = await PopupPage.open(b.context, b.extensionId);
    const [opened] = await Promise.all([b.context.waitForEvent('page'), popupB.page.getByRole('button', { name: 'Sign in to your account' }).click()]);
    await opened.waitForLoadState();
    const optionsB = new OptionsPage(opened);
    await expect(opened.getByRole('tab', { name: 'Sign in on this device' })).toHaveAttribute('aria-selected', 'true');
    // No vault yet: no locking or master-password settings.
    await expect(opened.getByRole('heading', { name: 'Locking' })).toHaveCount(0);

    // Registration keeps the first-run strength rule; the focus stays on the password.
    await optionsB.registerWithNewVault({ serverUrl: server.url, username: 'dana', email: 'b@example.com', password: 'password' });
    await expect(opened.locator('#account-error')).toBeVisible();
    await expect(opened.getByLabel('Choose a master password')).toBeFocused();

    // The username is taken: refused, and no vault is left behind on B.
    await optionsB.registerWithNewVault({ serverUrl: server.url, username: 'dana', email: 'b@example.com', password: OTHER });
    await expect(opened.getByRole('alert')).toContainText('taken');
    await popupB.page.reload();
    await expect(popupB.page.getByRole('heading', { name: 'Create your Latchkey vault' })).toBeVisible();

    await optionsB.fillAccount({ mode: 'signIn', serverUrl: server.url, username: 'dana', password: PASSWORD });
    await optionsB.expectSignedInAs('dana');
    await expect(opened.getByRole('heading', { name: 'Locking' })).toBeVisible();

    // Sign out keeps the Sign in form, with the server filled in.
    await opened.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(opened.getByRole('tab', { name: 'Sign in on this device' })).toHaveAttribute('aria-selected', 'true');
    await expect(opened.getByLabel('Server')).toHaveValue(server.url);
  } finally {
    await a.close();
    await b.close();
  }
});

test('a locked vault unlocks before its account is created; a wrong password creates nothing and keeps the focus', async () => {
  test.setTimeout(120_000);
  const a = await device();
  try {
    const popup = await PopupPage.open(a.context, a.extensionId);
    await popup.createVault(PASSWORD);
    await popup.lock();
    const options = await OptionsPage.open(a.context, a.extensionId);
    await options.fillAccount({ mode: 'register', serverUrl: server.url, username: 'erin', email: 'erin@example.com', password: 'not my password' });
    await expect(options.page.locator('#account-error')).toContainText('not right');
    await expect(options.page.locator('#account-password')).toBeFocused();
    // Had the refused attempt reached the server, "erin" would now be taken.
    await options.fillAccount({ mode: 'register', serverUrl: server.url, username: 'erin', email: 'erin@example.com', password: PASSWORD });
    await options.expectSignedInAs('erin');
  } finally {
    await a.close();
  }
});

test('a browser whose own vault is in the way starts over, after a warning and its master password', async () => {
  test.setTimeout(180_000);
  const a = await device();
  const b = await device();
  try {
    const popupA = await PopupPage.open(a.context, a.extensionId);
    await popupA.createVault(PASSWORD);
    const optionsA = await OptionsPage.open(a.context, a.extensionId);
    await optionsA.fillAccount({ mode: 'register', serverUrl: server.url, username: 'finn', email: 'finn@example.com', password: PASSWORD });
    await optionsA.expectSignedInAs('finn');

    const popupB = await PopupPage.open(b.context, b.extensionId);
    await popupB.createVault(OTHER);
    const optionsB = await OptionsPage.open(b.context, b.extensionId);
    await optionsB.fillAccount({ mode: 'signIn', serverUrl: server.url, username: 'finn', password: PASSWORD });
    await expect(optionsB.page.locator('#account-error')).toContainText('Start over on this browser');

    const page = optionsB.page;
    await page.getByRole('button', { name: "Remove this browser's vault…" }).click();
    const dialog = page.getByRole('dialog', { name: "Remove this browser's vault?" });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Master password').fill('not my password');
    await dialog.getByRole('button', { name: 'Remove vault' }).click();
    await expect(page.locator('#account-error')).toContainText('not right');
    await expect(page.getByRole('heading', { name: 'Locking' })).toBeVisible(); // still there

    await page.getByRole('button', { name: "Remove this browser's vault…" }).click();
    await dialog.getByLabel('Master password').fill(OTHER);
    await dialog.getByRole('button', { name: 'Remove vault' }).click();
    await expect(page.getByText("This browser's vault was removed.")).toBeVisible({ timeout: 15_000 });
    await expect(page.getByRole('heading', { name: 'Locking' })).toHaveCount(0);

    await optionsB.fillAccount({ mode: 'signIn', serverUrl: server.url, username: 'finn', password: PASSWORD });
    await optionsB.expectSignedInAs('finn');
  } finally {
    await a.close();
    await b.close();
  }
});
