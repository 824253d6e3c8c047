// Inviting an address that has no account yet (issue 13), with two extension profiles, a real
// server and a real SMTP server: A invites carol's address from the People screen, the invitation
// mail arrives (naming A, carrying no secret), carol registers with that address, confirms it with
// the code mailed to her, and finds A's invitation waiting; she accepts and both see the connection.
import { expect, test, type Page } from '@playwright/test';
import { textOf } from '../server/smtp';
import { launchDevice } from './fixtures';
import { PopupPage } from './pages/popup';
import { ExtensionPage, MASTER_PASSWORD } from './pages/seed';
import { serverWithMail } from './server';

const mail = serverWithMail(test);

const CAROL = 'carol@example.com';

/** The mails to `to` whose text matches `pattern`, once at least one has arrived. */
async function mailsTo(to: string, pattern: RegExp): Promise<string[]> {
  const mine = () => mail.smtp.inbox.filter((m) => m.to.includes(to)).map(textOf).filter((text) => pattern.test(text));
  await expect.poll(() => mine().length, { timeout: 20_000 }).toBeGreaterThan(0);
  return mine();
}

async function device(username: string, email: string) {
  const launched = await launchDevice();
  const ext = await ExtensionPage.open(launched.context, launched.extensionId);
  await ext.createVault();
  await ext.call('account.register', { serverUrl: mail.server.url, username, email, password: MASTER_PASSWORD });
  return { ...launched, ext };
}

async function openPeople(popup: PopupPage): Promise<Page> {
  await popup.goto();
  await popup.page.getByRole('button', { name: 'People', exact: true }).click();
  await expect(popup.page.getByRole('heading', { name: 'People', exact: true })).toBeVisible();
  return popup.page;
}

test('an invitation to an address without an account is mailed, and waits for the account that confirms that address', async () => {
  test.setTimeout(240_000);
  const a = await device('annemail', 'anne@example.com');
  let c: Awaited<ReturnType<typeof device>> | undefined;
  try {
    const pa = await PopupPage.open(a.context, a.extensionId);
    const page = await openPeople(pa);

    await test.step('A invites an address that has no account', async () => {
      await page.getByLabel('Username or email address').fill(CAROL);
      await page.getByRole('button', { name: 'Find' }).click();
      await expect(page.getByTestId('lookup-result')).toContainText('No account with that username. An invitation will be sent to this address');
      await page.getByRole('button', { name: 'Send the invitation' }).click();
      await expect(pa.toast).toContainText(`Invitation sent to ${CAROL}.`);
      await expect(page.getByTestId('outgoing-invitation')).toContainText(CAROL);
    });

    await test.step('the invitation mail arrives, names A and carries no secret', async () => {
      const [mail] = await mailsTo(CAROL, /invited you to/);
      expect(mail).toContain('annemail invited you to connect on Latchkey');
      expect(mail).not.toContain(MASTER_PASSWORD);
      expect(mail).not.toMatch(/\b\d{8}\b/); // no confirmation code of anyone's
    });

    await test.step('carol registers with the address; before confirming it, no invitation is shown', async () => {
      c = await device('carolmail', CAROL);
      const pc = await PopupPage.open(c.context, c.extensionId);
      const pageC = await openPeople(pc);
      // The background's answer, from the server: nothing waits for an unconfirmed address, while
      // A's side of the same overview call lists the invitation (the positive control).
      expect((await c.ext.call('people.overview')).incoming).toHaveLength(0);
      expect((await a.ext.call('people.overview')).outgoing.length).toBe(1);
      await expect(pageC.getByTestId('incoming-invitation')).toHaveCount(0);

      const [codeMail] = await mailsTo(CAROL, /confirmation code is \d{8}/);
      const code = /confirmation code is (\d{8})/.exec(codeMail!)![1]!;
      const status = await c.ext.call('account.confirmEmail', { code });
      expect(status).toEqual({ email: CAROL, confirmed: true });

      await pageC.reload();
      await pageC.getByRole('button', { name: 'People', exact: true }).click();
      await expect(pageC.getByTestId('incoming-invitation')).toContainText('annemail', { timeout: 15_000 });
      await pageC.getByRole('button', { name: 'Accept the invitation from annemail' }).click();
      await expect(pageC.getByTestId('person')).toContainText('annemail');
    });

    await test.step('A sees carol as a connection, live', async () => {
      await expect(page.getByTestId('person')).toContainText('carolmail', { timeout: 15_000 });
      await expect(page.getByTestId('outgoing-invitation')).toHaveCount(0);
    });
  } finally {
    await c?.close();
    await a.close();
  }
});
