// The popup end to end, on the built extension: create a vault, keep entries in it, find them,
// lock and unlock, and check that what lands in IndexedDB is ciphertext only.
import { seed, test as withSites } from './autofill/harness';
import { expect, test } from './fixtures';
import { PopupPage, dumpIndexedDb } from './pages/popup';
import { MASTER_PASSWORD as SEEDED_MASTER } from './pages/seed';

const MASTER = 'quartz lantern obey velvet tundra';

const GITHUB = {
  title: 'GitHub zq7',
  username: 'octocat-zq7@example.com',
  password: 'Pw-zq7-3x!Vb9#Lm2$Qr',
  urls: ['https://github-zq7.example/login'],
  tags: 'work, code',
  folder: 'Work',
  notes: 'recovery codes are in the safe',
};

test('first run: a weak or mistyped master password is refused, a strong one gives an empty vault', async ({ context, extensionId }) => {
  const popup = await PopupPage.open(context, extensionId);
  const page = popup.page;
  await expect(page.getByRole('heading', { name: 'Create your Latchkey vault' })).toBeVisible();

  await page.getByLabel('Master password').fill('password1');
  await page.getByLabel('Type it again').fill('password1');
  await page.getByRole('button', { name: 'Create vault' }).click();
  await expect(page.getByRole('alert')).toContainText('too easy to guess');
  await expect(page.getByText(/Very weak|Weak/).first()).toBeVisible();

  await page.getByLabel('Master password').fill(MASTER);
  await page.getByLabel('Type it again').fill(`${MASTER}!`);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await expect(page.getByRole('alert')).toContainText('do not match');

  await popup.createVault(MASTER);
  await expect(page.getByText('Your vault is empty.')).toBeVisible();
  await expect(popup.entryCount).toHaveText('0 entries');

  // Reopening the popup goes straight to the (still unlocked) vault.
  await popup.goto();
  await expect(popup.search).toBeFocused();
});

test('add, find, edit and delete entries; bad input changes nothing', async ({ context, extensionId }) => {
  const popup = await PopupPage.open(context, extensionId);
  const page = popup.page;
  await popup.createVault(MASTER);

  await popup.addEntry(GITHUB);
  await popup.addEntry({ title: 'Bank of Zq7', username: 'zq7-saver', password: 'bank-pass-1', urls: ['bank-zq7.example'], tags: 'money', folder: 'Home' });
  await popup.addEntry({ title: 'Mail', username: 'octo-mail', password: 'mail-pass-1', urls: ['https://mail.example', 'https://webmail.example'], tags: 'work' });
  await expect(popup.entryCount).toHaveText('3 entries');
  await popup.expectTitles(['Bank of Zq7', 'GitHub zq7', 'Mail']);

  // Search as you type: title, username, URL and tag; every word must match.
  await popup.searchFor('github');
  await popup.expectTitles(['GitHub zq7']);
  await popup.searchFor('octo');
  await popup.expectTitles(['GitHub zq7', 'Mail']);
  await popup.searchFor('webmail.example');
  await popup.expectTitles(['Mail']);
  await popup.searchFor('work octo');
  await popup.expectTitles(['GitHub zq7', 'Mail']);
  await expect(popup.entryCount).toHaveText('2 of 3 entries');
  await popup.searchFor('nothing-like-this');
  await expect(page.getByText('No entries match “nothing-like-this”.')).toBeVisible();
  await popup.search.press('Escape');
  await expect(popup.search).toHaveValue('');

  // Folder and tag filters.
  await page.getByLabel('Folder').selectOption('Home');
  await popup.expectTitles(['Bank of Zq7']);
  await page.getByLabel('Folder').selectOption('');
  await page.getByLabel('Tag').selectOption('work');
  await popup.expectTitles(['GitHub zq7', 'Mail']);
  await page.getByLabel('Tag').selectOption('');

  // The keyboard: arrows move, Enter opens, Esc goes back.
  await popup.search.focus();
  await popup.search.press('ArrowDown');
  await expect(popup.row('GitHub zq7')).toHaveAttribute('aria-selected', 'true');
  await popup.search.press('Enter');
  await expect(page.getByRole('heading', { name: 'GitHub zq7' })).toBeVisible();
  expect(await popup.viewed()).toEqual({ username: GITHUB.username, password: GITHUB.password });
  await expect(page.getByText(GITHUB.notes)).toBeVisible();

  // Edit.
  await popup.editOpenEntry({ username: 'octocat-renamed@example.com' });
  expect((await popup.viewed()).username).toBe('octocat-renamed@example.com');

  // An oversized field is refused with a message naming it; the saved entry is unchanged.
  await page.getByTestId('edit-entry').click();
  await popup.fillEntryForm({ notes: 'n'.repeat(70 * 1024), username: 'should-not-be-saved' });
  await popup.saveForm();
  await expect(page.getByText(/^Notes is larger than 64 KiB/)).toBeVisible();
  await expect(page.getByRole('alert').first()).toContainText('Nothing was saved');
  await page.getByRole('button', { name: 'Cancel' }).first().click();
  await page.getByRole('dialog').getByRole('button', { name: 'Discard' }).click();
  expect((await popup.viewed()).username).toBe('octocat-renamed@example.com');

  // Delete asks first; cancelling keeps the entry.
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { name: 'GitHub zq7' })).toBeVisible();
  await popup.deleteOpenEntry();
  await expect(popup.toast).toContainText('Moved “GitHub zq7” to the trash.');
  await popup.expectTitles(['Bank of Zq7', 'Mail']);

  // Still there after reopening the popup.
  await popup.goto();
  await popup.expectTitles(['Bank of Zq7', 'Mail']);
});

test('the generator fills the password field', async ({ context, extensionId }) => {
  const popup = await PopupPage.open(context, extensionId);
  const page = popup.page;
  await popup.createVault(MASTER);
  await page.getByRole('button', { name: 'New entry' }).click();
  await popup.fillEntryForm({ title: 'Generated' });
  await page.getByRole('button', { name: 'Generate' }).click();
  const first = await page.getByTestId('generated').innerText();
  expect(first).toHaveLength(20);
  await page.getByLabel('Words').check();
  await expect(page.getByTestId('generated')).toHaveText(/^[a-z]+(-[a-z]+){4}$/);
  const phrase = await page.getByTestId('generated').innerText();
  await page.getByRole('button', { name: 'Use this password' }).click();
  await expect(page.locator('#entry-password')).toHaveValue(phrase);
  await popup.saveForm();
  expect((await popup.viewed()).password).toBe(phrase);
});

test('lock, and unlock: a wrong password is refused and changes nothing', async ({ context, extensionId }) => {
  const popup = await PopupPage.open(context, extensionId);
  const page = popup.page;
  await popup.createVault(MASTER);
  await popup.addEntry({ title: 'Kept', username: 'kept-user', password: 'kept-pass' });

  await popup.lock();
  await popup.goto(); // still locked when the popup is opened again
  await expect(page.getByRole('heading', { name: 'Unlock Latchkey' })).toBeVisible();

  await popup.submitUnlock('not the master password');
  await expect(page.getByRole('button', { name: /Unlocking/ }).or(page.getByRole('alert'))).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('not the master password', { timeout: 30_000 });
  await expect(page.getByRole('heading', { name: 'Unlock Latchkey' })).toBeVisible();

  await popup.unlock(MASTER);
  await popup.expectTitles(['Kept']);
  await popup.openEntry('Kept');
  expect(await popup.viewed()).toEqual({ username: 'kept-user', password: 'kept-pass' });
});

test('IndexedDB holds no plaintext of an entry', async ({ context, extensionId }) => {
  const popup = await PopupPage.open(context, extensionId);
  await popup.createVault(MASTER);
  await popup.addEntry(GITHUB);

  const { json, binaryText, records } = await dumpIndexedDb(popup.page);
  expect(records).toBeGreaterThan(0);
  expect(json).toContain('"latchkey/entries"');
  for (const secret of [GITHUB.password, GITHUB.urls[0]!, 'github-zq7.example', GITHUB.username, GITHUB.title, GITHUB.notes, MASTER]) {
    expect(json, `IndexedDB JSON holds "${secret}"`).not.toContain(secret);
    expect(binaryText, `IndexedDB bytes hold "${secret}"`).not.toContain(secret);
  }
});

test('copy puts the password on the clipboard', async ({ context, extensionId }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const popup = await PopupPage.open(context, extensionId);
  const page = popup.page;
  await popup.createVault(MASTER);
  await popup.addEntry({ title: 'Copy me', username: 'copy-user', password: 'copy-pass-42' });
  await popup.row('Copy me').getByRole('button', { name: 'Copy password of Copy me' }).click();
  await expect(popup.toast).toContainText('Password copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('copy-pass-42');
  await popup.openEntry('Copy me');
  await page.getByRole('button', { name: 'Copy' }).first().click();
  await expect(popup.toast).toContainText('Username copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('copy-user');
});

test('idle lock minutes: set in the options page, shown in the popup’s settings', async ({ context, extensionId }) => {
  const popup = await PopupPage.open(context, extensionId);
  await popup.createVault(MASTER);

  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  const minutes = options.getByLabel('Lock after this many minutes without use');
  await expect(minutes).toHaveValue('15');
  await minutes.fill('0');
  await options.getByRole('button', { name: 'Save' }).click();
  await expect(options.getByRole('alert')).toContainText('from 1 to 1,440');
  await minutes.fill('5');
  await options.getByRole('button', { name: 'Save' }).click();
  await expect(options.getByRole('status')).toContainText('locks after 5 minutes');

  await popup.goto();
  await popup.page.getByRole('button', { name: 'Settings' }).click();
  await expect(popup.page.getByLabel('Lock after this many minutes without use')).toHaveValue('5');
  await popup.page.keyboard.press('Escape');
  await expect(popup.search).toBeVisible();
});

test('fits 360 px without sideways scrolling, in light and dark', async ({ context, extensionId }) => {
  const popup = await PopupPage.open(context, extensionId);
  const page = popup.page;
  await popup.createVault(MASTER);
  await popup.addEntry({ ...GITHUB, title: 'A very long title that should be cut off rather than widen the popup at all' });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.getByRole('button', { name: 'New entry' }).click();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.keyboard.press('Escape');
  }
  const background = await page.evaluate(() => getComputedStyle(document.querySelector('#app')!).backgroundColor);
  expect(background).toBe('rgb(22, 24, 28)'); // dark theme
});

withSites('“Open & log in” opens the entry’s site in a new tab and logs in there', async ({ context, extensionId, sites }) => {
  await seed(context, extensionId, [{ title: 'Site A', username: 'alice@example.com', password: 'pw-A-1', urls: [`${sites.A}/login.html`] }]);
  const popup = await PopupPage.open(context, extensionId);
  if (await popup.page.getByRole('heading', { name: 'Unlock Latchkey' }).count()) await popup.unlock(SEEDED_MASTER);
  await popup.openEntry('Site A');
  const [page] = await Promise.all([context.waitForEvent('page'), popup.page.getByRole('button', { name: 'Open & log in' }).click()]);
  await expect(page).toHaveURL(`${sites.A}/login.html`);
  await expect(page.locator('#username')).toHaveValue('alice@example.com');
  await expect(page.locator('#password')).toHaveValue('pw-A-1');
});

test('a tampered record is named in a warning; the rest of the vault still opens', async ({ context, extensionId }) => {
  const popup = await PopupPage.open(context, extensionId);
  const page = popup.page;
  await popup.createVault(MASTER);
  await popup.addEntry({ title: 'Intact', username: 'intact-user', password: 'intact-pass' });
  await popup.addEntry({ title: 'Tampered', username: 'tampered-user', password: 'tampered-pass' });
  const id = await popup.row('Tampered').getAttribute('data-id');
  expect(id).toBeTruthy();

  // Flip one byte of the record's encrypted overview, as a damaged disk or a hostile sync would.
  await page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('latchkey');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    await new Promise<void>((resolve, reject) => {
      const store = db.transaction('entries', 'readwrite').objectStore('entries');
      const get = store.get(id!);
      get.onsuccess = () => {
        const record = get.result as { overview: Uint8Array };
        record.overview = Uint8Array.from(record.overview);
        record.overview[record.overview.length - 1]! ^= 0xff;
        const put = store.put(record);
        put.onsuccess = () => resolve();
        put.onerror = () => reject(put.error);
      };
      get.onerror = () => reject(get.error);
    });
    db.close();
  }, id);

  await popup.lock(); // the background forgets what it decrypted; unlocking reads the records again
  await popup.unlock(MASTER);
  await popup.expectTitles(['Intact']);
  const warning = page.getByTestId('listing-problems');
  await expect(warning).toContainText('1 entry could not be opened');
  await warning.locator('summary').click();
  await expect(warning).toContainText(id!);
  await popup.openEntry('Intact');
  expect(await popup.viewed()).toEqual({ username: 'intact-user', password: 'intact-pass' });
});

test('change the master password in the options page: the old one stops working', async ({ context, extensionId }) => {
  const popup = await PopupPage.open(context, extensionId);
  await popup.createVault(MASTER);
  await popup.addEntry({ title: 'Survivor', username: 'survivor-user', password: 'survivor-pass' });
  const NEXT = 'marble otter canyon whistle pepper';

  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  await options.getByLabel('Current master password').fill('wrong current password');
  await options.getByLabel('New master password').fill(NEXT);
  await options.getByLabel('Type the new one again').fill(NEXT);
  await options.getByRole('button', { name: 'Change master password' }).click();
  await expect(options.getByRole('alert')).toContainText('not right', { timeout: 30_000 });

  await options.getByLabel('New master password').fill('password1');
  await options.getByLabel('Type the new one again').fill('password1');
  await options.getByRole('button', { name: 'Change master password' }).click();
  await expect(options.getByRole('alert')).toContainText('too easy to guess');

  await options.getByLabel('Current master password').fill(MASTER);
  await options.getByLabel('New master password').fill(NEXT);
  await options.getByLabel('Type the new one again').fill(NEXT);
  await options.getByRole('button', { name: 'Change master password' }).click();
  await expect(options.getByText('Master password changed.')).toBeVisible({ timeout: 30_000 });

  await popup.goto();
  await popup.lock();
  await popup.submitUnlock(MASTER);
  await expect(popup.page.getByRole('alert')).toContainText('not the master password', { timeout: 30_000 });
  await popup.unlock(NEXT);
  await popup.openEntry('Survivor');
  expect(await popup.viewed()).toEqual({ username: 'survivor-user', password: 'survivor-pass' });
});
