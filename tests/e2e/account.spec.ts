// Creating a sync account and signing in on a second device, through the options page and popup.
import { expect, test } from '@playwright/test';
import { launchDevice as device } from './fixtures';
import { OptionsPage } from './pages/options';
import { PopupPage } from './pages/popup';
import { startServer, type RunningServer } from './server';

const PASSWORD = 'Tangerine-Orbit-Lantern-42';
let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test('create an account for a vault, then sign in on another device and find the entries', async () => {
  test.setTimeout(180_000); // two browsers, two Argon2 derivations each, on a shared machine
  const a = await device();
  const b = await device();
  try {
    const popupA = await PopupPage.open(a.context, a.extensionId);
    await popupA.createVault(PASSWORD);
    await popupA.addEntry({ title: 'Forge', username: 'dev@forge.example', password: 'forge-pw-1', urls: ['https://forge.example'] });

    const optionsA = await OptionsPage.open(a.context, a.extensionId);
    // A wrong master password is refused and creates nothing.
    await optionsA.fillAccount({ mode: 'register', serverUrl: server.url, username: 'dana', email: 'dana@example.com', password: 'not my password' });
    await expect(optionsA.page.getByRole('alert')).toContainText('not right');
    await optionsA.fillAccount({ mode: 'register', serverUrl: server.url, username: 'dana', email: 'dana@example.com', password: PASSWORD });
    await optionsA.expectSignedInAs('dana');
    await expect(optionsA.page.getByTestId('account-status')).toContainText('0 changes');

    const optionsB = await OptionsPage.open(b.context, b.extensionId);
    await optionsB.fillAccount({ mode: 'signIn', serverUrl: server.url, username: 'dana', password: PASSWORD });
    await optionsB.expectSignedInAs('dana');
    const popupB = await PopupPage.open(b.context, b.extensionId);
    await popupB.searchFor('forge');
    await popupB.expectTitles(['Forge']);
    await popupB.openEntry('Forge');
    expect((await popupB.viewed()).password).toBe('forge-pw-1');

    // Sign out everywhere from B: A is signed out too.
    await optionsB.page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await optionsB.page.getByRole('dialog', { name: 'Sign out everywhere?' }).getByRole('button', { name: 'Sign out everywhere' }).click();
    await expect(optionsB.page.getByRole('tab', { name: 'Create an account' })).toBeVisible();
    // The server ends A's live stream with its session (issue 11, item 6), so A finds out without
    // being asked to sync.
    await optionsA.page.reload();
    await expect(optionsA.page.getByRole('tab', { name: 'Sign in on this device' })).toBeVisible({ timeout: 10_000 });
  } finally {
    await a.close();
    await b.close();
  }
});
