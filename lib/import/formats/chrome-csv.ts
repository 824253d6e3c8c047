// Chrome and Edge: Settings → Passwords → Export. Columns name,url,username,password[,note].
import { hasAll, type CsvImporter } from '../csv';
import { blankEntry, splitUrls } from '../model';

export const chromeCsv: CsvImporter = {
  format: 'chrome-csv',
  matches: (h) => hasAll(h, ['name', 'url', 'username', 'password']) && !h.includes('httprealm') && !h.includes('grouping'),
  columns: [['name', 'title'], ['url', 'urls'], ['username', 'username'], ['password', 'password'], ['note', 'notes']],
  row: (r) => ({ ...blankEntry(r.line), title: r.get('name'), urls: splitUrls(r.get('url')), username: r.get('username'), password: r.get('password'), notes: r.get('note', 'notes') }),
};
