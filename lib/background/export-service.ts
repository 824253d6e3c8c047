// Exports of the vault, or of one folder: a plaintext CSV in Bitwarden's columns (only after the
// master password is typed again) or Latchkey's encrypted file under a passphrase the person chose.
// The plaintext is built in memory and handed to the options page that asked; nothing is stored.
import type { Derive } from '../crypto/passphrase-seal';
import { AppError } from '../errors';
import { exportCsv } from '../export/csv';
import { buildExportFile } from '../export/latchkey-file';
import type { MessageRouter } from '../messages/router';
import type { EntryFields } from '../model/entry';
import type { FullSessionService } from './session-service';
import type { VaultService } from './types';
import { t } from '../i18n';

export interface ExportDeps {
  router: MessageRouter;
  vault: VaultService;
  session: Pick<FullSessionService, 'verifyPassword' | 'userKey'>;
  derive?: Derive;
}

export const MIN_EXPORT_PASSPHRASE = 10;

export function createExportService(deps: ExportDeps) {
  const { router, vault, session, derive } = deps;

  /**
   * The entries to export. Shared entries do not exist yet; when they do, this is the one place
   * that decides whether entries of shares the person can read go along (as a choice in the
   * export form), so neither format needs to change.
   */
  async function entriesOf(folder: string | undefined): Promise<EntryFields[]> {
    session.userKey(); // throws LOCKED
    const all = await vault.summaries();
    const chosen = folder ? all.filter((s) => s.folder === folder || s.folder.startsWith(`${folder}/`)) : all;
    if (chosen.length === 0) throw new AppError('NOT_FOUND', folder ? t('errorExportFolderEmpty', folder) : t('errorExportVaultEmpty'));
    const out: EntryFields[] = [];
    for (const s of chosen) {
      // The password history stays in the vault: an export carries what a person typed, no more.
      const { id: _i, revision: _r, createdAt: _c, updatedAt: _u, passwordHistory: _h, trashedAt: _t, ...fields } = await vault.get(s.id);
      out.push(fields);
    }
    return out;
  }

  router.on('export.csv', async ({ masterPassword, folder }) => {
    const keys = await session.verifyPassword(masterPassword); // WRONG_PASSWORD stops it here
    keys.authKey.fill(0);
    keys.wrapKey.fill(0);
    const entries = await entriesOf(folder);
    return { text: exportCsv(entries), count: entries.length };
  });

  router.on('export.file', async ({ passphrase, folder }) => {
    if (typeof passphrase !== 'string' || passphrase.length < MIN_EXPORT_PASSPHRASE) {
      throw new AppError('BAD_INPUT', t('errorExportPassphraseShort', MIN_EXPORT_PASSPHRASE));
    }
    const entries = await entriesOf(folder);
    return { text: await buildExportFile(entries, passphrase, derive), count: entries.length };
  });
}
