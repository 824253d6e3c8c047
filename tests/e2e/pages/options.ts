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

  /** Creates an account on a browser without a vault: a new master password, typed twice. */
  async registerWithNewVault(a: { serverUrl: string; username: string; email: string; password: string }): Promise<void> {
    const p = this.page;
    await p.getByRole('tab', { name: 'Create an account' }).click();
    await p.getByLabel('Server').fill(a.serverUrl);
    await p.getByLabel('Username').fill(a.username);
    await p.getByLabel('Email').fill(a.email);
    await p.getByLabel('Choose a master password').fill(a.password);
    await p.getByLabel('Type it again').fill(a.password);
    await p.getByRole('button', { name: 'Create account', exact: true }).click();
  }

  async expectSignedInAs(username: string): Promise<void> {
    await expect(this.page.getByTestId('account-status')).toContainText(`Signed in as${username}`, { timeout: 30_000 });
  }
}

/** The import and export sections of the options page. */
export class ImportExportPage {
  constructor(readonly page: Page) {}

  /** Chooses a file, keeps the detected format (checked against `formatLabel`), and reads it. */
  async chooseFile(path: string, formatLabel: string): Promise<void> {
    const p = this.page;
    await p.getByTestId('import-file').setInputFiles(path);
    await expect(p.getByTestId('import-format').locator('option:checked')).toHaveText(formatLabel);
    await p.getByTestId('import-read').click();
    await expect(p.getByTestId('import-preview')).toBeVisible({ timeout: 30_000 });
  }

  async runImport(): Promise<string> {
    await this.page.getByTestId('import-run').click();
    const done = this.page.getByTestId('import-done');
    await expect(done).toBeVisible({ timeout: 30_000 });
    return (await done.textContent()) ?? '';
  }

  /** A plaintext CSV export (of one folder, or all): the warning ticked, the master password again; returns the file's text. */
  async exportCsv(masterPassword: string, folder = ''): Promise<string> {
    const p = this.page;
    await p.getByTestId('export-kind-csv').check();
    await p.getByTestId('export-folder').fill(folder);
    await p.getByTestId('export-understood').check();
    await p.getByTestId('export-secret').fill(masterPassword);
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByTestId('export-run').click()]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
}
