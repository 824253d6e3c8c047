// Two devices on one account and a real server (issue 11, items 10 and 11): a master-password change
// on one tells the other what happened and takes the new password there, keeping its server; Sign
// out everywhere asks first, and works while locked with the master password.
import { expect, test } from '@playwright/test';
import { launchDevice as device } from './fixtures';
import { OptionsPage } from './pages/options';
import { PopupPage } from './pages/popup';
import { startServer, type RunningServer } from './server';

const PASSWORD = 'Tangerine-Orbit-Lantern-42';
const NEW_PASSWORD = 'Copper-Nebula-Harbor-58';
let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.stop();
});

/** A signed in with `username` and an entry; B signed in to the same account. */
async function twoDevices(username: string) {
  const a = await device();
  const b = await device();
  const popupA = await PopupPage.open(a.context, a.extensionId);
  await popupA.createVault(PASSWORD);
  await popupA.addEntry({ title: 'Forge', username: 'dev@forge.example', password: 'forge-pw-1', urls: ['https://forge.example'] });
  const optionsA = await OptionsPage.open(a.context, a.extensionId);
  await optionsA.fillAccount({ mode: 'register', serverUrl: server.url, username, email: `${username}@example.com`, password: PASSWORD });
  await optionsA.expectSignedInAs(username);
  const optionsB = await OptionsPage.open(b.context, b.extensionId);
  await optionsB.fillAccount({ mode: 'signIn', serverUrl: server.url, username, password: PASSWORD });
  await optionsB.expectSignedInAs(username);
  return { a, b, popupA, optionsA, optionsB, close: async () => Promise.all([a.close(), b.close()]) };
}

test('after a master-password change on A, B says so, keeps its server, and takes the new password', async () => {
  test.setTimeout(180_000);
  const { b, optionsA, optionsB, close } = await twoDevices('gail');
  try {
    const pa = optionsA.page;
    await pa.getByLabel('Current master password').fill(PASSWORD);
    await pa.getByLabel('New master password').fill(NEW_PASSWORD);
    await pa.getByLabel('Type the new one again').fill(NEW_PASSWORD);
    await pa.getByRole('button', { name: 'Change master password' }).click();
    await expect(pa.getByText('Master password changed.')).toBeVisible({ timeout: 15_000 });

    const pb = optionsB.page;
    await pb.getByRole('button', { name: 'Sync now' }).click();
    await expect(pb.getByTestId('signed-out-reason')).toContainText('Your master password was changed on another device', { timeout: 15_000 });
    await expect(pb.getByRole('tab', { name: 'Sign in on this device' })).toHaveAttribute('aria-selected', 'true');
    await expect(pb.getByLabel('Server')).toHaveValue(server.url);
    await expect(pb.getByLabel('Username')).toHaveValue('gail');

    await pb.locator('#account-password').fill(NEW_PASSWORD);
    await pb.getByRole('button', { name: 'Sign in', exact: true }).click();
    await optionsB.expectSignedInAs('gail');
    await expect(pb.getByTestId('account-status')).toContainText(server.url);

    // B's own vault now opens with the new password, not the old one.
    const popupB = await PopupPage.open(b.context, b.extensionId);
    await popupB.lock();
    await popupB.submitUnlock(PASSWORD);
    await expect(popupB.page.getByRole('alert')).toContainText('not the master password');
    await expect(popupB.page.locator('#master-password')).toBeFocused();
    await popupB.unlock(NEW_PASSWORD);
    await popupB.searchFor('forge');
    await popupB.expectTitles(['Forge']);
  } finally {
    await close();
  }
});

test('Sign out everywhere asks first, is readable, and works while locked with the master password', async () => {
  test.setTimeout(180_000);
  const { b, optionsA, optionsB, close } = await twoDevices('hugo');
  try {
    const pb = optionsB.page;
    const popupB = await PopupPage.open(b.context, b.extensionId);
    await popupB.lock();
    await pb.reload();
    await expect(pb.getByTestId('account-status')).toContainText('hugo');

    const button = pb.getByRole('button', { name: 'Sign out everywhere' });
    // Readable: its text is not the colour of its background.
    const colours = await button.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]);
    expect(colours[0]).not.toBe(colours[1]);

    await button.click();
    const dialog = pb.getByRole('dialog', { name: 'Sign out everywhere?' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    // Cancelled: A is still signed in after a sync.
    await optionsA.page.getByRole('button', { name: 'Sync now' }).click();
    await expect(optionsA.page.getByText('Synced.')).toBeVisible({ timeout: 15_000 });
    await expect(optionsA.page.getByTestId('account-status')).toBeVisible();

    await button.click();
    await dialog.getByLabel('Master password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Sign out everywhere' }).click();
    await expect(pb.getByText('Signed out on every device.')).toBeVisible({ timeout: 15_000 });
    await expect(pb.getByRole('tab', { name: 'Sign in on this device' })).toHaveAttribute('aria-selected', 'true');

    await optionsA.page.reload();
    await expect(optionsA.page.getByTestId('signed-out-reason')).toContainText('signed out of the Latchkey server', { timeout: 15_000 });
  } finally {
    await close();
  }
});
