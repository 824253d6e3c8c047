// axe-core on every state of the popup and the options page, in light and dark: no critical and no
// serious violation (WCAG 2.1 A and AA rules, colour contrast included).
import { expect, test } from './fixtures';
import { expectAccessible } from './pages/axe';
import { OptionsPage } from './pages/options';
import { PopupPage } from './pages/popup';
import { ExtensionPage, MASTER_PASSWORD } from './pages/seed';
import { startServer } from './server';
import { launchDevice } from './fixtures';

const MASTER = 'quartz lantern obey velvet tundra';

test('the popup in every state has no critical or serious axe violation, light and dark', async ({ context, extensionId }) => {
  test.setTimeout(300_000); // axe takes seconds per state on a shared machine
  const popup = await PopupPage.open(context, extensionId);
  const page = popup.page;
  await expect(page.getByRole('heading', { name: 'Create your Latchkey vault' })).toBeVisible();
  await expectAccessible(page, 'first run');

  await popup.createVault(MASTER);
  await expect(page.getByText('Your vault is empty.')).toBeVisible();
  await expectAccessible(page, 'empty vault');

  await popup.addEntry({ title: 'Mail', username: 'ann', password: 'pw-mail-1', urls: ['https://mail.example'], tags: 'work' });
  await popup.addEntry({ title: 'Bank', username: 'ann-b', password: 'pw-bank-1', urls: ['bank.example'], folder: 'Home' });
  await popup.expectTitles(['Bank', 'Mail']);
  await expectAccessible(page, 'list');

  await popup.openEntry('Mail');
  await expectAccessible(page, 'entry');

  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectAccessible(page, 'delete dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();

  await page.getByTestId('edit-entry').click();
  await expect(page.getByLabel('Title', { exact: true })).toBeVisible();
  await expectAccessible(page, 'form');
  await page.getByLabel('Title', { exact: true }).fill('');
  await popup.saveForm();
  await expectAccessible(page, 'form with errors');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectAccessible(page, 'discard dialog');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await page.getByLabel('Title', { exact: true }).fill('Mail');
  await popup.saveForm();
  await expect(page.getByTestId('view-password')).toBeVisible();
  await popup.backToList();

  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expectAccessible(page, 'settings');
  await page.keyboard.press('Escape');
  await expect(popup.search).toBeVisible();

  await popup.lock();
  await expectAccessible(page, 'locked');
});

test('the options page has no critical or serious axe violation, light and dark', async ({ context, extensionId }) => {
  test.setTimeout(180_000);
  const popup = await PopupPage.open(context, extensionId);
  await popup.createVault(MASTER);
  await popup.page.close();
  const options = await OptionsPage.open(context, extensionId);
  await expect(options.page.getByRole('heading', { name: 'Sync account' })).toBeVisible();
  await expectAccessible(options.page, 'account, signed out');
  await options.page.getByRole('tab', { name: 'Sign in on this device' }).click();
  await expectAccessible(options.page, 'account, sign-in form');
});

test('the options page in the account states has no critical or serious axe violation, light and dark', async ({ context, extensionId }) => {
  test.setTimeout(300_000);
  const server = await startServer();
  try {
    const popup = await PopupPage.open(context, extensionId);
    await popup.createVault(MASTER);
    const options = await OptionsPage.open(context, extensionId);
    const page = options.page;
    await options.fillAccount({ mode: 'signIn', serverUrl: server.url, username: 'nobody', password: 'not my password' });
    await expect(page.locator('#account-error')).toBeVisible({ timeout: 15_000 });
    await expectAccessible(page, 'account, sign-in form with an error');
    await page.getByRole('button', { name: "Remove this browser's vault…" }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await expectAccessible(page, 'start over dialog');
    await page.keyboard.press('Escape');

    await options.fillAccount({ mode: 'register', serverUrl: server.url, username: 'ivy', email: 'ivy@example.com', password: MASTER });
    await options.expectSignedInAs('ivy');
    await expect(page.getByRole('group', { name: 'Confirm your email' })).toBeVisible({ timeout: 15_000 });
    await expectAccessible(page, 'account, signed in, confirm your email');
    await page.getByLabel('Confirmation code').fill('123');
    await page.getByLabel('Confirmation code').press('Enter');
    await expect(page.locator('#confirm-email-error')).toBeVisible();
    await expectAccessible(page, 'confirm your email with an error');
    await page.getByRole('button', { name: 'Use another address' }).click();
    await expect(page.getByLabel('Your email address')).toBeFocused();
    await expectAccessible(page, 'confirm your email, another address');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await expect(page.getByRole('dialog', { name: 'Sign out everywhere?' })).toBeVisible();
    await expectAccessible(page, 'sign out everywhere dialog');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(page.getByRole('tab', { name: 'Sign in on this device' })).toHaveAttribute('aria-selected', 'true');
    await expectAccessible(page, 'account, signed out');
    await popup.page.close();
  } finally {
    await server.stop();
  }
});

test('the options page without a vault (registration with a new master password) has no critical or serious axe violation', async ({ context, extensionId }) => {
  test.setTimeout(180_000);
  const options = await OptionsPage.open(context, extensionId);
  await options.page.getByRole('tab', { name: 'Create an account' }).click();
  await expect(options.page.getByLabel('Choose a master password')).toBeVisible();
  await options.page.getByLabel('Choose a master password').fill('password');
  await expectAccessible(options.page, 'account, create with a new vault');
});

test('every confirmation dialog is announced by its own title and text; each Copy button says what it copies', async ({ context, extensionId }) => {
  const popup = await PopupPage.open(context, extensionId);
  const page = popup.page;
  await popup.createVault(MASTER);
  await popup.addEntry({ title: 'Mail', username: 'ann', password: 'pw-mail-1', urls: ['https://mail.example'] });
  await popup.openEntry('Mail');
  await expect(page.getByRole('button', { name: 'Copy username', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy password', exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Delete' }).click();
  const remove = page.getByRole('dialog', { name: 'Delete “Mail”?' });
  await expect(remove).toBeVisible();
  await expect(remove).toHaveAccessibleDescription(
    'The entry goes to the trash on this device and on every device this vault syncs to, for 30 days (Settings → Trash), then it is deleted for good. Its link shares end now.',
  );
  await page.keyboard.press('Escape');
  await expect(remove).toBeHidden();

  await page.getByTestId('edit-entry').click();
  await page.getByLabel('Title', { exact: true }).fill('Mail 2');
  await page.keyboard.press('Escape');
  const discard = page.getByRole('dialog', { name: 'Discard your changes?' });
  await expect(discard).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(1);
  await discard.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('dialog', { name: 'Delete “Mail 2”?' })).toBeVisible();
});

test('the link-share screens have no critical or serious axe violation, light and dark', async ({ context, extensionId }) => {
  test.setTimeout(300_000);
  const server = await startServer();
  try {
    const ext = await ExtensionPage.open(context, extensionId);
    await ext.createVault();
    await ext.addEntry({ title: 'Mail', username: 'ann', password: 'pw-mail-1', urls: ['https://mail.example'] });
    await ext.addEntry({ title: 'Bank', username: 'ann-b', password: 'pw-bank-1', urls: ['https://bank.example'] });
    await ext.call('account.register', { serverUrl: server.url, username: 'ann', email: 'ann@example.com', password: MASTER_PASSWORD });
    const popup = await PopupPage.open(context, extensionId);
    const page = popup.page;

    await page.getByRole('button', { name: 'Select entries' }).click();
    await popup.row('Mail').click();
    await expectAccessible(page, 'list in selection mode');
    await page.getByRole('button', { name: 'Link share…' }).click();
    await expect(page.getByRole('heading', { name: 'Link share' })).toBeVisible();
    await expectAccessible(page, 'link dialog');
    await page.getByLabel('Public title').fill('');
    await page.getByLabel('Can be opened (times, 1–100)').fill('0');
    await page.getByLabel('A passphrase').check();
    await page.getByLabel('Only these email addresses').check();
    await page.getByRole('button', { name: 'Create link' }).click();
    await expect(page.locator('.field-error').first()).toBeVisible();
    await expectAccessible(page, 'link dialog with errors');
    await page.getByLabel('Public title').fill('Mail for Bob');
    await page.getByLabel('Can be opened (times, 1–100)').fill('1');
    await page.getByLabel('A 5-digit PIN').check();
    await page.getByLabel('Only these email addresses').uncheck();
    await page.getByRole('button', { name: 'Create link' }).click();
    await expect(page.getByRole('heading', { name: 'Link created' })).toBeVisible({ timeout: 40_000 });
    await expectAccessible(page, 'link created');
    await page.getByRole('button', { name: 'Email it for me' }).click();
    await expectAccessible(page, 'link created, email form');
    await page.keyboard.press('Escape');
    await expect(popup.search).toBeVisible();

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'My link shares' }).click();
    await expect(page.getByTestId('link-share')).toHaveCount(1);
    await expectAccessible(page, 'my link shares');
    await page.getByRole('button', { name: 'Revoke the link “Mail for Bob”' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await expectAccessible(page, 'revoke dialog');
  } finally {
    await server.stop();
  }
});

test('the People and Messages screens have no critical or serious axe violation, light and dark', async ({ context, extensionId }) => {
  test.setTimeout(600_000); // two profiles, two Argon2id registrations and axe on 13 states
  const server = await startServer();
  const other = await launchDevice();
  try {
    const ext = await ExtensionPage.open(context, extensionId);
    await ext.createVault();
    await ext.addEntry({ title: 'Mail', username: 'ann', password: 'pw-mail-1', urls: ['https://mail.example'], notes: 'recovery' });
    await ext.call('account.register', { serverUrl: server.url, username: 'ann', email: 'ann@example.com', password: MASTER_PASSWORD });
    const bob = await ExtensionPage.open(other.context, other.extensionId);
    await bob.createVault();
    await bob.call('account.register', { serverUrl: server.url, username: 'bob', email: 'bob@example.com', password: MASTER_PASSWORD });
    const found = await bob.call('people.lookup', { query: 'ann' });
    if (found.found !== 'user') throw new Error('ann not found');
    await bob.call('people.invite', { userId: found.userId });

    const popup = await PopupPage.open(context, extensionId);
    const page = popup.page;
    await page.getByRole('button', { name: 'People', exact: true }).click();
    await expect(page.getByTestId('incoming-invitation')).toContainText('bob');
    await expectAccessible(page, 'people with an invitation');
    await page.getByLabel('Username or email address').fill('x');
    await page.getByRole('button', { name: 'Find' }).click();
    await expect(page.locator('#invite-error')).toBeVisible();
    await expectAccessible(page, 'people, lookup error');
    await page.getByLabel('Username or email address').fill('someone@example.com');
    await page.getByRole('button', { name: 'Find' }).click();
    await expect(page.getByTestId('lookup-result')).toBeVisible();
    await expectAccessible(page, 'people, invite by email');
    await page.getByRole('button', { name: 'Accept the invitation from bob' }).click();
    await expect(page.getByTestId('person')).toContainText('bob');
    await expectAccessible(page, 'people with a connection');
    await page.getByTestId('person').click();
    await page.getByRole('button', { name: 'Show QR code' }).click();
    await expectAccessible(page, 'person with QR code');
    await page.getByRole('button', { name: 'Remove' }).click();
    await expectAccessible(page, 'remove dialog');
    await page.keyboard.press('Escape');

    await popup.goto();
    await popup.openEntry('Mail');
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await page.getByRole('button', { name: 'Send a copy…' }).click();
    await page.getByRole('button', { name: 'Review…' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await expectAccessible(page, 'send a copy with an error');
    await page.getByLabel('To', { exact: true }).selectOption({ label: 'bob' });
    await page.getByLabel('Note (optional)').fill('for you');
    await page.getByRole('button', { name: 'Review…' }).click();
    await expectAccessible(page, 'send a copy, confirmation');
    await page.getByRole('button', { name: 'Send now' }).click();
    await expect(popup.toast).toContainText('Sent.');

    const ann = (await bob.call('people.overview')).connections[0]!;
    await bob.addEntry({ title: 'Wifi', username: '', password: 'pw-wifi', urls: [] });
    const [wifi] = (await bob.call('vault.list')).entries;
    await bob.call('messages.send', { recipientId: ann.userId, entryIds: [wifi!.id], note: 'the wifi', includeNotes: false });
    await popup.goto();
    await page.getByRole('button', { name: /^Messages/ }).click();
    await expect(page.getByTestId('message')).toHaveCount(1);
    await expectAccessible(page, 'inbox');
    await page.getByTestId('message').click();
    await expect(page.getByTestId('message-note')).toHaveText('the wifi');
    await expectAccessible(page, 'message open');
    await page.getByRole('button', { name: 'Back to messages' }).click();
    await page.getByRole('tab', { name: 'Sent' }).click();
    await expect(page.getByTestId('message')).toHaveCount(1);
    await expectAccessible(page, 'sent');
  } finally {
    await other.close();
    await server.stop();
  }
});
