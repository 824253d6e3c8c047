// Bitwarden: Tools → Export vault → .csv. Columns folder,favorite,type,name,notes,fields,reprompt,
// login_uri,login_username,login_password,login_totp (an organisation's export has collections
// instead of folder). Custom fields are "name: value" lines; several URIs are comma-separated.
import { hasAll, type CsvImporter } from '../csv';
import { blankEntry, splitUrls, withExtraFields } from '../model';

export function customFieldLines(cell: string): { name: string; value: string }[] {
  return cell
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const at = l.indexOf(': ');
      return at < 0 ? { name: '', value: l } : { name: l.slice(0, at), value: l.slice(at + 2) };
    });
}

export const bitwardenCsv: CsvImporter = {
  format: 'bitwarden-csv',
  matches: (h) => hasAll(h, ['name', 'login_uri', 'login_username', 'login_password']),
  columns: [
    ['folder', 'folder'], ['collections', 'folder'], ['name', 'title'], ['notes', 'notes'], ['fields', 'notes'], ['login_uri', 'urls'],
    ['login_username', 'username'], ['login_password', 'password'], ['login_totp', 'totp'], ['favorite', 'ignored'], ['type', 'ignored'], ['reprompt', 'ignored'],
  ],
  row(r) {
    const totp = r.get('login_totp');
    const fields = customFieldLines(r.get('fields'));
    // Latchkey's own CSV export carries tags as a "tags" custom field.
    const tags = fields.filter((f) => f.name === 'tags').flatMap((f) => f.value.split(',').map((t) => t.trim()).filter(Boolean));
    return {
      ...blankEntry(r.line),
      tags,
      folder: r.get('folder', 'collections').split(',')[0]!.trim(),
      title: r.get('name'),
      notes: withExtraFields(r.get('notes'), fields.filter((f) => f.name !== 'tags')),
      urls: splitUrls(r.get('login_uri')),
      username: r.get('login_username'),
      password: r.get('login_password'),
      ...(totp ? { totp } : {}),
    };
  },
};
