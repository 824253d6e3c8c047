// Page object for the options page: the sync account section.
import { expect, type BrowserContext, type Page } from '@playwright/test';

export class OptionsPage {
  constructor(readonly page: Page) {}

  static async open(context: BrowserContext, extensionId: string): Promise<OptionsPage> {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    return new OptionsPage(page);
  }

  async fillAccount(a: { mode: 'register' | 'signIn'; serverUrl: string; username: string; email?: string; password: string }): Promise<void> {
    const p = this.page;
    await p.getByRole('tab', { name: a.mode === 'register' ? 'Create an account' : 'Sign in on this device' }).click();
    await p.getByLabel('Server').fill(a.serverUrl);
    await p.getByLabel('Username').fill(a.username);
    if (a.email !== undefined) await p.getByLabel('Email').fill(a.email);
    await p.getByLabel('Master password', { exact: true }).first().fill(a.password);
    await p.getByRole('button', { name: a.mode === 'register' ? 'Create account' : 'Sign in', exact: true }).click();
  }

  async expectSignedInAs(username: string): Promise<void> {
    await expect(this.page.getByTestId('account-status')).toContainText(`Signed in as${username}`, { timeout: 30_000 });
  }
}
