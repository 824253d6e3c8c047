// Which manager a file came from, judged by its first bytes (zip, KDBX), its JSON structure or its
// CSV header. The person confirms the answer before anything is read further.
import { AppError } from '../errors';
import { csvHeader, type CsvImporter } from './csv';
import { bitwardenCsv } from './formats/bitwarden-csv';
import { looksLikeBitwardenJson } from './formats/bitwarden-json';
import { chromeCsv } from './formats/chrome-csv';
import { firefoxCsv } from './formats/firefox-csv';
import { keepassCsv } from './formats/keepass-csv';
import { lastpassCsv } from './formats/lastpass-csv';
import { onePasswordCsv } from './formats/onepassword-csv';
import { passpackCsv } from './formats/passpack-csv';
import { looksLikePsonoJson } from './formats/psono-json';
import type { ImportFormat } from './model';
import { t } from '../i18n';

/** No export of a personal vault comes near this; a larger file is refused before it is read. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** Most specific first: several layouts share url, username and password. */
export const CSV_IMPORTERS: CsvImporter[] = [bitwardenCsv, lastpassCsv, firefoxCsv, keepassCsv, onePasswordCsv, passpackCsv, chromeCsv];

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const KDBX = [0x03, 0xd9, 0xa2, 0x9a, 0x67, 0xfb, 0x4b, 0xb5];
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

export function checkImportSize(size: number): void {
  if (size > MAX_IMPORT_BYTES) {
    throw new AppError('TOO_LARGE', t('errorImportFileTooLarge', Math.ceil(size / 1024 / 1024), MAX_IMPORT_BYTES / 1024 / 1024));
  }
  if (size === 0) throw new AppError('BAD_INPUT', t('errorImportEmpty'));
}

function unknownFormat(): AppError {
  return new AppError('BAD_INPUT', t('errorImportUnknownFormat'));
}

/** The file as UTF-8 text; binary that is not one of the known containers is refused. */
export function decodeText(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw unknownFormat();
  }
  if (text.includes('\u0000')) throw unknownFormat();
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('BAD_INPUT', t('errorImportJsonDamaged'));
  }
}

export function detectJson(json: unknown): ImportFormat {
  if ((json as { latchkey?: unknown })?.latchkey === 'export') return 'latchkey';
  if (looksLikeBitwardenJson(json)) return 'bitwarden-json';
  if (looksLikePsonoJson(json)) return 'psono-json';
  throw unknownFormat();
}

export function detectFormat(bytes: Uint8Array): ImportFormat {
  checkImportSize(bytes.length);
  if (startsWith(bytes, KDBX)) return 'keepass-kdbx';
  if (startsWith(bytes, ZIP)) return '1password-1pux';
  const text = decodeText(bytes);
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return detectJson(parseJson(text));
  const header = csvHeader(text);
  const importer = CSV_IMPORTERS.find((i) => i.matches(header));
  if (!importer) throw unknownFormat();
  return importer.format;
}
