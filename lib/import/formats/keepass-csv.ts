// KeePassXC: Database → Export → CSV: "Group","Title","Username","Password","URL","Notes","TOTP",…
// KeePass 2: File → Export → KeePass CSV (1.x): "Account","Login Name","Password","Web Site","Comments".
// The group path starts with the database's root group, which is not a folder here.
import { hasAll, type CsvImporter } from '../csv';
import { blankEntry, splitUrls } from '../model';

export const keepassCsv: CsvImporter = {
  format: 'keepass-csv',
  matches: (h) => hasAll(h, ['group', 'title', 'username', 'password', 'url', 'notes']) || hasAll(h, ['account', 'login name', 'password', 'web site', 'comments']),
  columns: [
    ['group', 'folder'], ['title', 'title'], ['account', 'title'], ['username', 'username'], ['login name', 'username'], ['password', 'password'],
    ['url', 'urls'], ['web site', 'urls'], ['notes', 'notes'], ['comments', 'notes'], ['totp', 'totp'], ['icon', 'ignored'], ['last modified', 'ignored'], ['created', 'ignored'],
  ],
  row(r) {
    const totp = r.get('totp');
    return {
      ...blankEntry(r.line),
      folder: r.get('group').split('/').slice(1).join('/'),
      title: r.get('title', 'account'),
      username: r.get('username', 'login name'),
      password: r.get('password'),
      urls: splitUrls(r.get('url', 'web site')),
      notes: r.get('notes', 'comments'),
      ...(totp ? { totp } : {}),
    };
  },
};
