// 1Password 8: File → Export → CSV. Columns Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes.
import { hasAll, type CsvImporter } from '../csv';
import { blankEntry, splitUrls } from '../model';

export const onePasswordCsv: CsvImporter = {
  format: '1password-csv',
  matches: (h) => hasAll(h, ['title', 'username', 'password']) && (h.includes('url') || h.includes('website')) && (h.includes('otpauth') || h.includes('archived')),
  columns: [['title', 'title'], ['url', 'urls'], ['website', 'urls'], ['username', 'username'], ['password', 'password'], ['otpauth', 'totp'], ['tags', 'tags'], ['notes', 'notes'], ['favorite', 'ignored'], ['archived', 'ignored']],
  row(r) {
    const totp = r.get('otpauth');
    return {
      ...blankEntry(r.line),
      title: r.get('title'),
      urls: splitUrls(r.get('url', 'website')),
      username: r.get('username'),
      password: r.get('password'),
      notes: r.get('notes'),
      tags: r.get('tags').split(/[,;]/).map((t) => t.trim()).filter(Boolean),
      ...(totp ? { totp } : {}),
    };
  },
};
