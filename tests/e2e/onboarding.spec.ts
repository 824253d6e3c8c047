// Onboarding (issue 16): the welcome tab a fresh install opens and its three ways to start, the
// empty vault's ways to start, "Add “…”" for a search with no match, and the popup's sync line.
import { expect, launchDevice, launchWithExtension, test, welcomePageOf } from './fixtures';
import { expectAccessible } from './pages/axe';
import { OptionsPage } from './pages/options';
import { PopupPage } from './pages/popup';
import { startServer } from './server';

const MASTER = 'quartz lantern obey velvet tundra';

test('installing opens the welcome tab: how to pin, and three ways to start, each reaching its flow', async () => {
  test.setTimeout(120_000);
  const launched = await launchWithExtension({ keepWelcome: true });
  try {
    const welcome = await welcomePageOf(launched.context);
    await expect(welcome.getByRole('heading', { level: 1, name: 'Welcome to Latchkey' })).toBeVisible();
    await expect(welcome).toHaveTitle('Welcome to Latchkey');
    await expect(welcome.getByRole('heading', { name: 'Pin Latchkey to the toolbar' })).toBeVisible();
    await expect(welcome.getByRole('listitem').filter({ hasText: 'Click the pin next to Latchkey.' })).toBeVisible();
    const create = welcome.getByRole('link', { name: /Create a vault/ });
    const signIn = welcome.getByRole('link', { name: /Sign in on this device/ });
    const importing = welcome.getByRole('link', { name: /Import from another manager/ });
    await expectAccessible(welcome, 'welcome tab');

    // The keyboard reaches the ways in order.
    await welcome.keyboard.press('Tab');
    await expect(create).toBeFocused();
    await welcome.keyboard.press('Tab');
    await expect(signIn).toBeFocused();
    await welcome.keyboard.press('Tab');
    await expect(importing).toBeFocused();

    // Create a vault: the popup page's first run, one step away.
    await create.click();
    await expect(welcome.getByRole('heading', { name: 'Create your Latchkey vault' })).toBeVisible();
    await expect(welcome.getByLabel('Master password')).toBeVisible();
    await welcome.goBack();

    // Sign in on this device: the options page on its Sign in form.
    await signIn.click();
    await expect(welcome).toHaveURL(/\/options\.html#sign-in$/);
    await expect(welcome.getByRole('tab', { name: 'Sign in on this device' })).toHaveAttribute('aria-selected', 'true');
    await expect(welcome.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
    await welcome.goBack();

    // Import: the options page's import, focused, saying a vault comes first (there is none yet).
    await importing.click();
    await expect(welcome).toHaveURL(/\/options\.html#import$/);
    await expect(welcome.getByRole('heading', { name: 'Import from another password manager' })).toBeFocused();
    await expect(welcome.getByTestId('import-file')).toBeAttached();
    await expect(welcome.getByTestId('import-needs-vault')).toContainText('create one first');
  } finally {
    await launched.close();
  }
});

test('the empty vault offers the ways to start; a search with no match offers Add “…” with the title prefilled', async ({ context, extensionId }) => {
  test.setTimeout(240_000);
  // The fixture closed the welcome tab: no other tab than the popup's comes in its way.
  expect(context.pages().filter((p) => p.url().endsWith('/welcome.html'))).toEqual([]);
  const popup = await PopupPage.open(context, extensionId);
  const page = popup.page;
  await popup.createVault(MASTER);
  const empty = page.getByTestId('empty-vault');
  await expect(empty).toContainText('Your vault is empty.');
  await expect(empty).toContainText('Latchkey offers to save logins as you sign in.');
  await expect(empty.getByRole('button', { name: 'Add your first login' })).toBeVisible();
  await expect(empty.getByRole('button', { name: 'Sign in to sync this vault' })).toBeVisible();
  await expect(empty.getByRole('button', { name: 'Import from another manager' })).toBeVisible();
  await expect(page.getByTestId('sync-line')).toHaveText('Not signed in: this vault is only in this browser');
  await expectAccessible(page, 'empty vault');

  // Sign in: the options page on Sign in.
  const [signIn] = await Promise.all([context.waitForEvent('page'), empty.getByRole('button', { name: 'Sign in to sync this vault' }).click()]);
  await expect(signIn).toHaveURL(/\/options\.html#sign-in$/);
  await expect(signIn.getByRole('tab', { name: 'Sign in on this device' })).toHaveAttribute('aria-selected', 'true');
  await signIn.close();

  // Import: the options page's import, focused; a vault is here, so no "create one first".
  const [importing] = await Promise.all([context.waitForEvent('page'), empty.getByRole('button', { name: 'Import from another manager' }).click()]);
  await expect(importing.getByRole('heading', { name: 'Import from another password manager' })).toBeFocused();
  await expect(importing.getByTestId('import-file')).toBeAttached();
  await expect(importing.getByTestId('import-needs-vault')).toHaveCount(0);
  await importing.close();

  // The sync line opens the account settings.
  const [settings] = await Promise.all([context.waitForEvent('page'), page.getByTestId('sync-line').click()]);
  await expect(settings.getByRole('heading', { name: 'Sync account' })).toBeVisible();
  await settings.close();

  // Add your first login: the empty form, from the keyboard.
  await empty.getByRole('button', { name: 'Add your first login' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Title', { exact: true })).toHaveValue('');
  await page.keyboard.press('Escape');
  await expect(popup.search).toBeVisible();

  await popup.addEntry({ title: 'Mail', username: 'ann', password: 'pw-mail-1', urls: ['https://mail.example'] });
  await popup.searchFor('Gmail work');
  await expect(page.getByRole('status').filter({ hasText: 'No entries match “Gmail work”.' })).toBeVisible();
  const add = page.getByRole('button', { name: 'Add “Gmail work”' });
  await expect(add).toBeVisible();
  await expectAccessible(page, 'search with no match');
  // A search that matches shows the entry, not the offer.
  await popup.searchFor('Mai');
  await popup.expectTitles(['Mail']);
  await expect(page.getByTestId('add-query')).toHaveCount(0);

  await popup.searchFor('Gmail work');
  await add.click();
  await expect(page.getByLabel('Title', { exact: true })).toHaveValue('Gmail work');
  // Nothing typed in the form yet: Esc leaves it without asking to discard.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(popup.search).toBeVisible();
});

test('the sync line names the account and server, live, with the last sync time', async () => {
  test.setTimeout(180_000);
  const server = await startServer();
  const device = await launchDevice();
  try {
    const popup = await PopupPage.open(device.context, device.extensionId);
    await popup.createVault(MASTER);
    const line = popup.page.getByTestId('sync-line');
    await expect(line).toHaveText('Not signed in: this vault is only in this browser');

    const options = await OptionsPage.open(device.context, device.extensionId);
    await options.fillAccount({ mode: 'register', serverUrl: server.url, username: 'dana', email: 'dana@example.com', password: MASTER });
    await options.expectSignedInAs('dana');
    const host = new URL(server.url).host;

    // Connected: live, and a last sync time (today's: the time alone), not "not yet".
    await expect(async () => {
      await popup.goto();
      await expect(line).toHaveText(new RegExp(`dana on ${host.replace(/\./g, '\\.')} · live · last sync \\d{1,2}[:.]\\d{2}`), { timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    await expectAccessible(popup.page, 'empty vault, signed in');

    // A synced vault has no account to sign in to: the empty vault does not offer it.
    await expect(popup.page.getByTestId('empty-vault').getByRole('button', { name: 'Import from another manager' })).toBeVisible();
    await expect(popup.page.getByTestId('empty-vault').getByRole('button', { name: 'Sign in to sync this vault' })).toHaveCount(0);
    // A server that goes away and comes back: tests/e2e/sync-line.spec.ts.
  } finally {
    await device.close();
    await server.stop().catch(() => undefined);
  }
});
