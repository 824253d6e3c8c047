// The options page's account forms are tabs (WAI-ARIA tabs pattern): a tab list whose selected tab
// alone is in the Tab order and controls the panel, moved through with Left/Right (wrapping) and
// Home/End; axe finds nothing critical or serious with either tab chosen.
import { expect, test } from './fixtures';
import { expectAccessible } from './pages/axe';
import { OptionsPage } from './pages/options';
import { ExtensionPage } from './pages/seed';

test('the account tabs move with the arrow keys, Home and End, one of them in the Tab order, each panel accessible', async ({ context, extensionId }) => {
  test.setTimeout(180_000);
  const ext = await ExtensionPage.open(context, extensionId);
  await ext.createVault();
  const options = await OptionsPage.open(context, extensionId);
  const page = options.page;
  const list = page.getByRole('tablist', { name: 'Account' });
  const register = list.getByRole('tab', { name: 'Create an account' });
  const signIn = list.getByRole('tab', { name: 'Sign in on this device' });
  const panel = page.getByRole('tabpanel');
  await expect(list.getByRole('tab')).toHaveCount(2);

  // A vault that syncs nowhere starts on "Create an account".
  await expect(register).toHaveAttribute('aria-selected', 'true');
  await expect(signIn).toHaveAttribute('aria-selected', 'false');
  await expect(register).toHaveAttribute('tabindex', '0');
  await expect(signIn).toHaveAttribute('tabindex', '-1');
  await expect(panel).toHaveAccessibleName('Create an account');
  for (const tab of [register, signIn]) expect(await tab.getAttribute('aria-controls')).toBe(await panel.getAttribute('id'));
  await expect(panel.getByRole('button', { name: 'Create account', exact: true })).toBeVisible();
  await expectAccessible(page, 'options page, Create an account tab');

  // Tab reaches the selected tab only, and leaves the list for the panel.
  await page.getByLabel('Server').focus();
  await page.keyboard.press('Shift+Tab');
  await expect(register).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(signIn).toBeFocused();
  await expect(signIn).toHaveAttribute('aria-selected', 'true');
  await expect(signIn).toHaveAttribute('tabindex', '0');
  await expect(register).toHaveAttribute('tabindex', '-1');
  await expect(panel).toHaveAccessibleName('Sign in on this device');
  await expect(panel.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  await expectAccessible(page, 'options page, Sign in on this device tab');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Server')).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(signIn).toBeFocused();

  // Right wraps around from the last tab, Left from the first; Home and End go to the ends.
  await page.keyboard.press('ArrowRight');
  await expect(register).toBeFocused();
  await expect(register).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(signIn).toBeFocused();
  await expect(signIn).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await expect(register).toBeFocused();
  await expect(register).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(signIn).toBeFocused();
  await expect(signIn).toHaveAttribute('aria-selected', 'true');
  // Other keys leave the tabs alone.
  await page.keyboard.press('ArrowDown');
  await expect(signIn).toBeFocused();
  await expect(signIn).toHaveAttribute('aria-selected', 'true');
});
