// LastPass: Advanced Options → Export. Columns url,username,password,totp,extra,name,grouping,fav
// (older exports lack totp). Secure notes carry the URL http://sn; folders are separated by "\".
import { hasAll, type CsvImporter } from '../csv';
import { blankEntry, splitUrls } from '../model';

const SECURE_NOTE_URL = 'http://sn';

export const lastpassCsv: CsvImporter = {
  format: 'lastpass-csv',
  matches: (h) => hasAll(h, ['url', 'username', 'password', 'extra', 'name', 'grouping']),
  columns: [['url', 'urls'], ['username', 'username'], ['password', 'password'], ['totp', 'totp'], ['extra', 'notes'], ['name', 'title'], ['grouping', 'folder'], ['fav', 'ignored']],
  row(r) {
    const url = r.get('url');
    const totp = r.get('totp');
    return {
      ...blankEntry(r.line),
      urls: url === SECURE_NOTE_URL ? [] : splitUrls(url),
      username: r.get('username'),
      password: r.get('password'),
      notes: r.get('extra'),
      title: r.get('name'),
      folder: r.get('grouping').split('\\').filter(Boolean).join('/'),
      ...(totp ? { totp } : {}),
    };
  },
};
