// Confirming the account's email on the options page (issue 11, item 2), against a real server that
// mails through a local SMTP server: register, a wrong code is refused and changes nothing, a new
// code is sent, the code read from the mail confirms the email, all from the keyboard.
import { expect, test } from './fixtures';
import { OptionsPage } from './pages/options';
import { codeIn, mailTo } from '../server/smtp';
import { serverWithMail } from './server';

const PASSWORD = 'Tangerine-Orbit-Lantern-42';
const EMAIL = 'rosa@example.com';
const mail = serverWithMail(test);

/** The codes mailed to `to`, once at least `count` have arrived. */
async function codes(to: string, count: number): Promise<string[]> {
  const mine = () => mailTo(mail.smtp.inbox, to);
  await expect.poll(() => mine().length, { timeout: 20_000 }).toBeGreaterThanOrEqual(count);
  return mine().map((m) => codeIn(m)!);
}

test('register, refuse a wrong code, send a new one, and confirm the email with the code from the mail', async ({ context, extensionId }) => {
  test.setTimeout(120_000);
  const options = await OptionsPage.open(context, extensionId);
  const page = options.page;
  await options.registerWithNewVault({ serverUrl: mail.server.url, username: 'rosa', email: EMAIL, password: PASSWORD });
  await options.expectSignedInAs('rosa');

  const confirm = page.getByRole('group', { name: 'Confirm your email' });
  await expect(confirm).toBeVisible({ timeout: 15_000 });
  await expect(confirm).toContainText(`We sent a code to ${EMAIL}.`);
  await expect(page.getByTestId('account-email')).toHaveText(`${EMAIL} (not confirmed yet)`);
  const [first] = await codes(EMAIL, 1);
  expect(first).toMatch(/^\d{8}$/);

  // A wrong code, sent with Enter: a clear error, the focus stays on the field, nothing changes.
  const field = page.getByLabel('Confirmation code');
  const wrong = String((Number(first) + 1) % 100_000_000).padStart(8, '0');
  await field.fill(wrong);
  await field.press('Enter');
  await expect(page.getByRole('alert')).toHaveText('That code is wrong or has expired. Nothing was changed. Check the latest mail from Latchkey, or send a new code.');
  await expect(field).toBeFocused();
  await expect(field).toHaveValue(wrong);
  await expect(page.getByTestId('account-email')).toHaveText(`${EMAIL} (not confirmed yet)`);

  // "Send a new code", reached with Tab and pressed with Enter.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Confirm', exact: true })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Send a new code' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: `We sent a new code to ${EMAIL}.` })).toBeVisible();
  const [, second] = await codes(EMAIL, 2);

  await field.fill(second!);
  await field.press('Enter');
  // The form is gone once confirmed: the focus moves to the news, not to the page body.
  await expect(page.getByRole('status').filter({ hasText: `Your email ${EMAIL} is confirmed.` })).toBeFocused();
  await expect(page.getByTestId('account-email')).toHaveText(`${EMAIL} (confirmed)`);
  await expect(confirm).toBeHidden();

  // The server says so too, after a reload.
  await page.reload();
  await expect(page.getByTestId('account-email')).toHaveText(`${EMAIL} (confirmed)`, { timeout: 15_000 });
  await expect(page.getByRole('group', { name: 'Confirm your email' })).toHaveCount(0);
});

test('a mistyped address is changed before it is confirmed, and the code mailed there confirms it', async ({ context, extensionId }) => {
  test.setTimeout(120_000);
  const options = await OptionsPage.open(context, extensionId);
  const page = options.page;
  await options.registerWithNewVault({ serverUrl: mail.server.url, username: 'tom', email: 'tom@exmaple.com', password: PASSWORD });
  await options.expectSignedInAs('tom');
  await page.getByRole('button', { name: 'Use another address' }).click();
  const address = page.getByLabel('Your email address');
  await expect(address).toBeFocused();
  await address.fill('tom@');
  await address.press('Enter');
  await expect(page.getByRole('alert')).toHaveText('Enter a valid email address');
  await address.fill('tom@example.com');
  await address.press('Enter');
  await expect(page.getByRole('group', { name: 'Confirm your email' })).toContainText('We sent a code to tom@example.com.');
  await expect(page.getByLabel('Confirmation code')).toBeFocused();
  const [code] = await codes('tom@example.com', 1);
  await page.getByLabel('Confirmation code').fill(code!);
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(page.getByTestId('account-email')).toHaveText('tom@example.com (confirmed)');
});
