// Issue 16, "the popup stays true while open": when the vault locks, an open popup and an open
// options page switch to Unlock at once, without being clicked; an unlock elsewhere opens them again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, launchDevice, test } from './fixtures';
import { PopupPage } from './pages/popup';
import { OptionsPage } from './pages/options';
import { MASTER_PASSWORD, seedVault } from './pages/seed';

/** Argon2id at full strength, on a busy CI machine. */
const UNLOCK_TIMEOUT = 30_000;

test('an open popup switches to Unlock when another page locks the vault, and back when it unlocks', async ({ context, extensionId }) => {
  const { ext } = await seedVault(context, extensionId, [{ title: 'Bank zq9', username: 'ann', password: 'pw-zq9' }]);

  // The popup that stays open, untouched from here on.
  const watcher = await PopupPage.open(context, extensionId);
  await expect(watcher.row('Bank zq9')).toBeVisible();

  // Positive control: a change that is not a lock (another page saves an entry) leaves it on the list.
  await ext.addEntry({ title: 'Mail zq9' });
  expect((await ext.call('session.status')).vault).toBe('unlocked');
  await expect(watcher.row('Bank zq9')).toBeVisible();
  await expect(watcher.page.getByRole('heading', { name: 'Unlock Latchkey' })).toHaveCount(0);

  // Lock pressed in another popup.
  const other = await PopupPage.open(context, extensionId);
  await other.lock();
  // The background decided: the vault is locked.
  expect((await ext.call('session.status')).vault).toBe('locked');
  // The untouched popup follows at once: Unlock, the list gone, and why.
  await expect(watcher.toast).toContainText('Latchkey locked. Unlock to continue.');
  await expect(watcher.page.getByRole('heading', { name: 'Unlock Latchkey' })).toBeVisible();
  await expect(watcher.rows).toHaveCount(0);

  // Unlocked in the other popup: the watcher opens the vault again by itself.
  await other.unlock(MASTER_PASSWORD);
  await expect(watcher.row('Bank zq9')).toBeVisible({ timeout: UNLOCK_TIMEOUT });
  await expect(watcher.row('Mail zq9')).toBeVisible();
});

test('an open options page offers to unlock when the popup locks the vault, and unlocks it', async ({ context, extensionId }) => {
  await seedVault(context, extensionId, [{ title: 'Bank zq9', username: 'ann', password: 'pw-zq9' }]);
  const options = await OptionsPage.open(context, extensionId);
  await expect(options.page.getByRole('heading', { name: 'Locking' })).toBeVisible();
  // Control: while unlocked, the page offers no unlock.
  await expect(options.page.getByTestId('options-unlock')).toHaveCount(0);

  const popup = await PopupPage.open(context, extensionId);
  await popup.lock();
  const unlock = options.page.getByTestId('options-unlock');
  await expect(unlock).toBeVisible();
  await expect(unlock.getByRole('alert')).toHaveText('Latchkey locked. Unlock to continue.');

  // A wrong password is refused there and changes nothing; the right one unlocks everywhere.
  await unlock.getByLabel('Master password').fill('not the master password');
  await unlock.getByRole('button', { name: 'Unlock' }).click();
  await expect(unlock.getByRole('alert').last()).toContainText('not the master password', { timeout: UNLOCK_TIMEOUT });
  await expect(popup.page.getByRole('heading', { name: 'Unlock Latchkey' })).toBeVisible();

  await unlock.getByLabel('Master password').fill(MASTER_PASSWORD);
  await unlock.getByRole('button', { name: 'Unlock' }).click();
  await expect(unlock).toHaveCount(0, { timeout: UNLOCK_TIMEOUT });
  await expect(popup.row('Bank zq9')).toBeVisible();
});

test('"Lock when the computer locks or sleeps" is on by default and kept when turned off', async ({ context, extensionId }) => {
  const { ext } = await seedVault(context, extensionId, []);
  const options = await OptionsPage.open(context, extensionId);
  const box = options.page.getByRole('checkbox', { name: 'Lock when the computer locks or sleeps' });
  await expect(box).toBeChecked();
  expect((await ext.call('session.status')).lockOnSystemLock).toBe(true);

  await box.press('Space');
  await expect(options.page.getByRole('status')).toContainText('stays unlocked when the computer locks');
  // The background kept it: a fresh page reads it back off.
  expect((await ext.call('session.status')).lockOnSystemLock).toBe(false);
  await options.page.reload();
  await expect(options.page.getByRole('checkbox', { name: 'Lock when the computer locks or sleeps' })).not.toBeChecked();
});

test('a browser restart locks the vault; closing one of several windows does not (control)', async () => {
  const userDataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-restart-'));
  try {
    const first = await launchDevice({ userDataDir });
    const { ext } = await seedVault(first.context, first.extensionId, [{ title: 'Bank zq9' }]);
    // Control: a second page closing leaves the vault unlocked (the browser is still open).
    const extra = await first.context.newPage();
    await extra.goto('about:blank');
    await extra.close();
    // What the background decides on: the browser still has a window.
    expect(await ext.page.evaluate(async () => (await chrome.windows.getAll()).length)).toBeGreaterThan(0);
    expect((await ext.call('session.status')).vault).toBe('unlocked');
    await first.close();

    const second = await launchDevice({ userDataDir });
    const popup = await PopupPage.open(second.context, second.extensionId);
    await expect(popup.page.getByRole('heading', { name: 'Unlock Latchkey' })).toBeVisible();
    await popup.unlock(MASTER_PASSWORD);
    await expect(popup.row('Bank zq9')).toBeVisible();
    await second.close();
  } finally {
    rmSync(userDataDir, { recursive: true, force: true });
  }
});
