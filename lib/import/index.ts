// Reading an export from another manager (or Latchkey's own) into ImportedEntry values, in the
// options page's memory. The options page loads this module on demand, never the popup.
import { AppError } from '../errors';
import { openExportFile } from '../export/latchkey-file';
import { csvHeader, importCsv } from './csv';
import { CSV_IMPORTERS, checkImportSize, decodeText, parseJson } from './detect';
import { importBitwardenJson, looksLikeBitwardenJson } from './formats/bitwarden-json';
import { importOnePassword1pux } from './formats/onepassword-1pux';
import { importPsonoJson, looksLikePsonoJson } from './formats/psono-json';
import type { ImportFormat, ParsedImport } from './model';
import { t } from '../i18n';

/** detectFormat says what a file looks like; the person confirms it before readImport. */
export { detectFormat, checkImportSize, MAX_IMPORT_BYTES } from './detect';
export * from './model';

export interface ReadOptions {
  /** The KeePass database's password, or the passphrase of a Latchkey export. */
  password?: string;
}

function notThisFormat(format: ImportFormat): AppError {
  return new AppError('BAD_INPUT', t('errorImportNotThisFormat', format));
}

export async function readImport(bytes: Uint8Array, format: ImportFormat, options: ReadOptions = {}): Promise<ParsedImport> {
  checkImportSize(bytes.length);
  switch (format) {
    case 'keepass-kdbx': {
      if (!options.password) throw new AppError('BAD_INPUT', t('errorImportKeepassPassword'));
      const { importKeepassKdbx } = await import('./formats/keepass-kdbx');
      return importKeepassKdbx(bytes, options.password);
    }
    case '1password-1pux':
      return importOnePassword1pux(bytes);
    case 'latchkey': {
      if (!options.password) throw new AppError('BAD_INPUT', t('errorImportExportPassphrase'));
      const entries = await openExportFile(bytes, options.password);
      return { format, entries, problems: [], mapping: [{ source: 'Latchkey entry', target: 'title' }] };
    }
    case 'bitwarden-json':
    case 'psono-json': {
      const json = parseJson(decodeText(bytes));
      if (format === 'bitwarden-json') {
        if (!looksLikeBitwardenJson(json)) throw notThisFormat(format);
        return importBitwardenJson(json);
      }
      if (!looksLikePsonoJson(json)) throw notThisFormat(format);
      return importPsonoJson(json);
    }
    default: {
      const importer = CSV_IMPORTERS.find((i) => i.format === format);
      if (!importer) throw notThisFormat(format);
      const text = decodeText(bytes);
      if (!importer.matches(csvHeader(text))) throw notThisFormat(format);
      const parsed = importCsv(importer, text);
      if (parsed.entries.length === 0 && parsed.problems.length > 0) throw notThisFormat(format);
      return parsed;
    }
  }
}
