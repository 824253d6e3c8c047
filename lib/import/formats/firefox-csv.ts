// Firefox: about:logins → Export Logins. Columns url,username,password,httpRealm,formActionOrigin,guid,timeCreated,…
import { hasAll, type CsvImporter } from '../csv';
import { blankEntry, fallbackTitle, splitUrls } from '../model';

export const firefoxCsv: CsvImporter = {
  format: 'firefox-csv',
  matches: (h) => hasAll(h, ['url', 'username', 'password', 'httprealm', 'formactionorigin']),
  columns: [['url', 'urls'], ['username', 'username'], ['password', 'password'], ['httprealm', 'ignored'], ['formactionorigin', 'ignored'], ['guid', 'ignored']],
  row(r) {
    const e = { ...blankEntry(r.line), urls: splitUrls(r.get('url')), username: r.get('username'), password: r.get('password') };
    return { ...e, title: fallbackTitle(e) };
  },
};
