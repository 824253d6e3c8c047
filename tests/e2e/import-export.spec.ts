// Moving in and out through the options page, on the built extension: a Bitwarden CSV imported
// (preview, then one write), its entries in the popup, nothing of it in the clear in IndexedDB, and
// the vault exported again as CSV after the master password.
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures';
import { ImportExportPage, OptionsPage } from './pages/options';
import { PopupPage, dumpIndexedDb } from './pages/popup';

const MASTER = 'quartz lantern obey velvet tundra';
const BITWARDEN_CSV = fileURLToPath(new URL('../fixtures/import/bitwarden.csv', import.meta.url));

test('import a Bitwarden CSV through the options page, see the entries in the popup, export again', async ({ context, extensionId }) => {
  const popup = await PopupPage.open(context, extensionId);
  await popup.createVault(MASTER);

  const options = await OptionsPage.open(context, extensionId);
  const io = new ImportExportPage(options.page);
  await io.chooseFile(BITWARDEN_CSV, 'Bitwarden (CSV)');
  await expect(options.page.getByTestId('import-preview')).toContainText('3 entries to import');
  await expect(options.page.getByTestId('import-preview')).toContainText('login_totp');
  expect(await io.runImport()).toContain('3 entries added.');

  await popup.goto();
  await popup.expectTitles(['Café ☕', 'Secure note', 'Work mail']);
  await popup.openEntry('Work mail');
  await expect(popup.page.getByText('Fr@nk,1').or(popup.page.getByText('frank@work.example')).first()).toBeVisible();

  // Nothing of the file is kept in the clear.
  const { json, binaryText } = await dumpIndexedDb(popup.page);
  for (const secret of ['Fr@nk,1', 'frank@work.example', 'Work mail', 'Recovery: abc def', 'gr4ce']) {
    expect(json).not.toContain(secret);
    expect(binaryText).not.toContain(secret);
  }

  const csv = await io.exportCsv(MASTER);
  expect(csv.split('\r\n')[0]).toBe('folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp');
  expect(csv).toContain('Fr@nk,1');
  expect(csv).toContain('Café ☕');
  await expect(options.page.getByTestId('export-status')).toContainText('Exported 3 entries');
});
