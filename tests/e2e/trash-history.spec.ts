// The trash and the password history end to end, on the built extension: Delete moves an entry to
// the trash (Settings → Trash), Restore brings it back, Delete for good removes it; a password
// changed twice shows both earlier ones, with their dates, and each copies.
import { expect, test } from './fixtures';
import { expectAccessible } from './pages/axe';
import { PopupPage } from './pages/popup';

const MASTER = 'quartz lantern obey velvet tundra';

async function openTrash(popup: PopupPage) {
  const page = popup.page;
  // By keyboard: Settings is a button of the list's header, Trash a button of Settings.
  await page.getByRole('button', { name: 'Settings', exact: true }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Trash', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Trash' })).toBeVisible();
}

test('delete moves an entry to the trash; restore brings it back; delete for good removes it', async ({ context, extensionId }) => {
  const popup = await PopupPage.open(context, extensionId);
  const page = popup.page;
  await popup.createVault(MASTER);
  await popup.addEntry({ title: 'Mail trash', username: 'ann', password: 'pw-mail-1', urls: ['https://mail.example'] });
  await popup.addEntry({ title: 'Bank trash', username: 'bob', password: 'pw-bank-1' });
  await popup.expectTitles(['Bank trash', 'Mail trash']);

  await popup.openEntry('Mail trash');
  await page.getByRole('button', { name: 'Delete' }).click();
  const ask = page.getByRole('dialog', { name: 'Delete “Mail trash”?' });
  await expect(ask).toHaveAccessibleDescription(/goes to the trash on this device and on every device this vault syncs to, for 30 days/);
  await ask.getByRole('button', { name: 'Delete' }).click();
  await expect(popup.toast).toContainText('Moved “Mail trash” to the trash.');
  await popup.expectTitles(['Bank trash']);
  await popup.searchFor('mail');
  await popup.expectTitles([]);
  await popup.searchFor('');

  await openTrash(popup);
  const rows = page.getByTestId('trash-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Mail trash');
  await expect(rows.first()).toContainText(/deleted .+, deleted for good on .+/);
  await expect(page.getByText(/stay here for 30 days/)).toBeVisible();
  // The first Restore has the focus: Enter restores.
  await expect(page.getByRole('button', { name: 'Restore “Mail trash”' })).toBeFocused();
  await expectAccessible(page, 'trash with an entry');
  await page.keyboard.press('Enter');
  await expect(popup.toast).toContainText('Restored “Mail trash”.');
  await expect(page.getByTestId('trash-empty')).toBeVisible();
  await page.keyboard.press('Escape'); // back to Settings
  await page.keyboard.press('Escape'); // back to the list
  await popup.expectTitles(['Bank trash', 'Mail trash']);

  // Delete for good: asks, then it is gone from the trash and the list, and stays gone.
  await popup.openEntry('Bank trash');
  await popup.deleteOpenEntry();
  await popup.expectTitles(['Mail trash']);
  await openTrash(popup);
  await page.getByRole('button', { name: 'Delete “Bank trash” for good' }).click();
  const forGood = page.getByRole('dialog', { name: 'Delete “Bank trash” for good?' });
  await expect(forGood).toHaveAccessibleDescription(/cannot be undone/);
  await forGood.getByRole('button', { name: 'Delete for good' }).click();
  await expect(popup.toast).toContainText('Deleted “Bank trash” for good.');
  await expect(page.getByTestId('trash-empty')).toBeVisible();
  await popup.goto();
  await popup.expectTitles(['Mail trash']);
  await openTrash(popup);
  await expect(page.getByTestId('trash-empty')).toBeVisible();
});

test('a password changed twice: the history shows both earlier ones with their dates, each copies', async ({ context, extensionId }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const popup = await PopupPage.open(context, extensionId);
  const page = popup.page;
  await popup.createVault(MASTER);
  await popup.addEntry({ title: 'History', username: 'hist', password: 'first-pw-1' });
  await popup.openEntry('History');
  await expect(page.getByTestId('entry-dates')).toContainText(/^Created .+ · Last changed .+$/);
  await expect(page.getByTestId('password-history-toggle')).toHaveCount(0);

  await popup.editOpenEntry({ password: 'second-pw-2' });
  await popup.editOpenEntry({ notes: 'a note, not a password change' });
  await popup.editOpenEntry({ password: 'third-pw-3' });
  expect((await popup.viewed()).password).toBe('third-pw-3');

  const toggle = page.getByRole('button', { name: 'Password history (2)' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  // Behind the reveal: no earlier password on screen until it is opened.
  await expect(page.getByText('first-pw-1')).toHaveCount(0);
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const values = page.getByTestId('password-history-value');
  await expect(values).toHaveText(['second-pw-2', 'first-pw-1']);
  const items = page.getByTestId('password-history').getByRole('listitem');
  await expect(items.nth(0)).toContainText(/Replaced .+\d/);
  await expect(items.nth(1)).toContainText(/Replaced .+\d/);
  await expectAccessible(page, 'entry with its password history open');

  await items.nth(1).getByRole('button', { name: /^Copy the password replaced / }).click();
  await expect(popup.toast).toContainText('Earlier password copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('first-pw-1');
  await items.nth(0).getByRole('button', { name: /^Copy the password replaced / }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('second-pw-2');

  // Never in the list: the list's rows carry no earlier password.
  await popup.backToList();
  await expect(page.getByText('second-pw-2')).toHaveCount(0);
});
