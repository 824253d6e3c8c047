// Bad files through the options page (issue 15): the wrong format, a wrong KDBX password, a
// truncated file, binary junk and a 50 MB file each get a clear error and import nothing; a good
// file afterwards still imports (the positive control). Then: after an import nothing of the file
// is left in the clear in storage.local, storage.session or IndexedDB; one folder exported as CSV
// after the warning and the master password (a wrong one refused); the import driven by keyboard.
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import kdbxweb from 'kdbxweb';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ImportExportPage, OptionsPage } from './pages/options';
import { PopupPage, dumpIndexedDb } from './pages/popup';

const MASTER = 'quartz lantern obey velvet tundra';
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));

/** A KDBX 4 database written by kdbxweb (AES-KDF, which needs no Argon2 in Node). */
async function kdbx(password: string): Promise<Buffer> {
  const db = kdbxweb.Kdbx.create(new kdbxweb.Credentials(kdbxweb.ProtectedValue.fromString(password)), 'Test');
  db.setKdf(kdbxweb.Consts.KdfId.Aes);
  expect(db.header.versionMajor).toBe(4);
  const e = db.createEntry(db.getDefaultGroup());
  e.fields.set('Title', 'Kept in KeePass');
  e.fields.set('Password', kdbxweb.ProtectedValue.fromString('kdbx-secret-pw'));
  return Buffer.from(await db.save());
}

const entryCount = async (page: Page) => page.evaluate(async () => {
  const r = (await chrome.runtime.sendMessage({ latchkey: 1, type: 'vault.list' })) as { ok: boolean; value: { entries: unknown[] } };
  return r.ok ? r.value.entries.length : -1;
});

/** Everything in storage.local and storage.session, as text. */
const storageText = (page: Page) => page.evaluate(async () => JSON.stringify([await chrome.storage.local.get(null), await chrome.storage.session.get(null)]));

test('bad files get a clear error and import nothing; a good one then imports', async ({ context, extensionId }) => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-bad-files-'));
  try {
    const popup = await PopupPage.open(context, extensionId);
    await popup.createVault(MASTER);
    const options = await OptionsPage.open(context, extensionId);
    const p = options.page;
    const error = p.getByTestId('import-error');

    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919 + 13) % 256)));
    await p.getByTestId('import-file').setInputFiles(junk);
    await expect(error).toContainText('does not recognise');

    const huge = join(dir, 'huge.csv');
    writeFileSync(huge, 'name,url,username,password\n');
    truncateSync(huge, 50 * 1024 * 1024);
    await p.getByTestId('import-file').setInputFiles(huge);
    await expect(error).toContainText('MB');

    const whole = readFileSync(fixture('bitwarden.json'));
    const cut = join(dir, 'bitwarden_export.json');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    await p.getByTestId('import-file').setInputFiles(cut);
    await expect(error).toContainText('incomplete');

    // The wrong format, chosen by the person over the detected one.
    await p.getByTestId('import-file').setInputFiles(fixture('chrome.csv'));
    await p.getByTestId('import-format').selectOption({ label: 'LastPass (CSV)' });
    await p.getByTestId('import-read').click();
    await expect(error).toBeVisible();
    await expect(p.getByTestId('import-preview')).toHaveCount(0);
    await p.getByRole('button', { name: 'Cancel' }).click();

    const database = join(dir, 'vault.kdbx');
    writeFileSync(database, await kdbx('the right one'));
    await p.getByTestId('import-file').setInputFiles(database);
    await expect(p.getByTestId('import-format').locator('option:checked')).toHaveText('KeePass or KeePassXC database (KDBX)');
    await p.getByTestId('import-password').fill('a wrong one');
    await p.getByTestId('import-read').click();
    await expect(error).toContainText(/password/i);
    await expect(p.getByTestId('import-preview')).toHaveCount(0);

    expect(await entryCount(p)).toBe(0);

    // Positive control: the same database with its password imports.
    await p.getByTestId('import-password').fill('the right one');
    await p.getByTestId('import-read').click();
    await expect(p.getByTestId('import-preview')).toContainText('1 entr');
    const io = new ImportExportPage(p);
    expect(await io.runImport()).toContain('1 entry added.');
    expect(await entryCount(p)).toBe(1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('by keyboard: import, nothing of it left in storage or IndexedDB or any log; one folder exported as CSV after the warning and the master password', async ({ context, extensionId }) => {
  // Every console line of every page and of the service worker while this runs.
  const logs: string[] = [];
  context.on('console', (m) => logs.push(m.text()));
  const popup = await PopupPage.open(context, extensionId);
  await popup.createVault(MASTER);
  const options = await OptionsPage.open(context, extensionId);
  const p = options.page;

  await p.getByTestId('import-file').setInputFiles(fixture('bitwarden.csv'));
  await expect(p.getByTestId('import-format').locator('option:checked')).toHaveText('Bitwarden (CSV)');
  // From the format choice, Tab to Continue and Enter; then Tab to Import and Enter.
  const tabTo = async (testId: string) => {
    for (let i = 0; i < 40; i++) {
      if (await p.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return;
      await p.keyboard.press('Tab');
    }
    throw new Error(`${testId} cannot be reached with Tab`);
  };
  await p.getByTestId('import-format').focus();
  await tabTo('import-read');
  await p.keyboard.press('Enter');
  await expect(p.getByTestId('import-preview')).toContainText('3 entries to import');
  await tabTo('import-run');
  await p.keyboard.press('Enter');
  await expect(p.getByTestId('import-done')).toContainText('3 entries added.');

  const secrets = ['Fr@nk,1', 'frank@work.example', 'Recovery: abc def', 'gr4ce'];
  const stored = await storageText(p);
  const { json, binaryText } = await dumpIndexedDb(p);
  expect(stored.length).toBeGreaterThan(2); // storage was read (the session keeps its state there)
  for (const secret of secrets) {
    expect(logs.join('\n')).not.toContain(secret);
    expect(stored).not.toContain(secret);
    expect(json).not.toContain(secret);
    expect(binaryText).not.toContain(secret);
  }

  // One folder, as CSV: the plain warning, the master password again (a wrong one is refused).
  const folders = await p.evaluate(async () => {
    const r = (await chrome.runtime.sendMessage({ latchkey: 1, type: 'vault.list' })) as { value: { entries: { folder: string }[] } };
    return [...new Set(r.value.entries.map((e) => e.folder))];
  });
  const folder = folders.find((f) => f !== '')!;
  expect(folder).toBeTruthy();
  await p.getByTestId('export-kind-csv').check();
  await expect(p.getByRole('note')).toContainText(/plain|anyone/i);
  await p.getByTestId('export-folder').fill(folder);
  await p.getByTestId('export-understood').check();
  await p.getByTestId('export-secret').fill('not the master password');
  await p.getByTestId('export-run').click();
  await expect(p.getByRole('alert')).toContainText(/password/i);
  const io = new ImportExportPage(p);
  const csv = await io.exportCsv(MASTER, folder);
  const rows = csv.trim().split('\r\n').slice(1);
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.length).toBeLessThan(3);
  for (const row of rows) expect(row.startsWith(`${folder},`) || row.startsWith(`"${folder}`)).toBe(true);
});

test('a long import shows its progress as it goes', async ({ context, extensionId }) => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-progress-'));
  try {
    const rows = Array.from({ length: 2500 }, (_, i) => `Folder ${i % 7},,login,Site ${i},,,0,https://s${i}.example,user${i},pw-${i},`);
    const file = join(dir, 'bitwarden_export.csv');
    writeFileSync(file, ['folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp', ...rows].join('\r\n'));
    const popup = await PopupPage.open(context, extensionId);
    await popup.createVault(MASTER);
    const options = await OptionsPage.open(context, extensionId);
    const p = options.page;
    await p.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { progressSeen: number[] }).progressSeen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('progress');
        if (bar && seen[seen.length - 1] !== bar.value) seen.push(bar.value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] });
    });
    const io = new ImportExportPage(p);
    await io.chooseFile(file, 'Bitwarden (CSV)');
    await expect(p.getByTestId('import-preview')).toContainText('2,500 entries to import');
    expect(await io.runImport()).toContain('2,500 entries added.');
    const seen = await p.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
    expect(seen).toEqual(expect.arrayContaining([1000, 2000]));
    expect(await entryCount(p)).toBe(2500);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
