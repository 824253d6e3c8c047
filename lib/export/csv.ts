// A plaintext export in Bitwarden's CSV columns, which most managers import. Tags have no column
// there: they travel as a "tags" custom field, which our Bitwarden importer reads back as tags.
import Papa from 'papaparse';
import type { EntryFields } from '../model/entry';

export const BITWARDEN_COLUMNS = ['folder', 'favorite', 'type', 'name', 'notes', 'fields', 'reprompt', 'login_uri', 'login_username', 'login_password', 'login_totp'] as const;
export const TAGS_FIELD = 'tags';

export function exportCsv(entries: EntryFields[]): string {
  const rows = entries.map((e) => [
    e.folder,
    '',
    'login',
    e.title,
    e.notes,
    e.tags.length > 0 ? `${TAGS_FIELD}: ${e.tags.join(', ')}` : '',
    '0',
    e.urls.join(','),
    e.username,
    e.password,
    e.totp ?? '',
  ]);
  return Papa.unparse({ fields: [...BITWARDEN_COLUMNS], data: rows }, { newline: '\r\n', quotes: false });
}
