// Each import format's name, from the catalogue.
import type { ImportFormat } from '../../lib/import/model';
import type { MessageKey } from '../../lib/i18n';

export const FORMAT_NAMES: Record<ImportFormat, MessageKey> = {
  'chrome-csv': 'importFormatChromeCsv',
  'firefox-csv': 'importFormatFirefoxCsv',
  'bitwarden-csv': 'importFormatBitwardenCsv',
  'bitwarden-json': 'importFormatBitwardenJson',
  'lastpass-csv': 'importFormatLastpassCsv',
  '1password-csv': 'importFormatOnepasswordCsv',
  '1password-1pux': 'importFormatOnepassword1pux',
  'keepass-csv': 'importFormatKeepassCsv',
  'keepass-kdbx': 'importFormatKeepassKdbx',
  'psono-json': 'importFormatPsonoJson',
  'passpack-csv': 'importFormatPasspackCsv',
  latchkey: 'importFormatLatchkey',
};

export const FIELD_NAMES: Record<string, MessageKey> = {
  title: 'importFieldTitle',
  username: 'importFieldUsername',
  password: 'importFieldPassword',
  urls: 'importFieldUrls',
  notes: 'importFieldNotes',
  tags: 'importFieldTags',
  folder: 'importFieldFolder',
  totp: 'importFieldTotp',
  autologin: 'importFieldAutologin',
  ignored: 'importFieldIgnored',
};
