// Passpack: Tools → Export → CSV. Its layout: Entry Name,User ID,Password,Link,Tags,Notes,Email
// ("Name" in older exports); newer exports name them title,url,username,email,password,notes,tags
// with the tags as JSON. The email goes into the notes when it is not the username.
import type { CsvImporter } from '../csv';
import { blankEntry, splitUrls, withExtraFields } from '../model';

function tagsOf(cell: string): string[] {
  const text = cell.trim();
  if (text.startsWith('[') || text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as unknown;
      const list = Array.isArray(json) ? json : ((json as { tags?: unknown }).tags ?? []);
      if (Array.isArray(list)) return list.map((t) => (typeof t === 'string' ? t : String((t as { tag?: unknown })?.tag ?? ''))).filter(Boolean);
    } catch {
      // not JSON after all: words
    }
  }
  return text.split(/[\s,]+/).filter(Boolean);
}

export const passpackCsv: CsvImporter = {
  format: 'passpack-csv',
  matches: (h) => h.includes('email') && h.includes('password') && (h.includes('user id') || (h.includes('username') && h.includes('title') && !h.includes('otpauth'))),
  columns: [
    ['entry name', 'title'], ['name', 'title'], ['title', 'title'], ['user id', 'username'], ['username', 'username'], ['password', 'password'],
    ['link', 'urls'], ['url', 'urls'], ['tags', 'tags'], ['notes', 'notes'], ['email', 'notes'],
  ],
  row(r) {
    const username = r.get('user id', 'username');
    const email = r.get('email');
    return {
      ...blankEntry(r.line),
      title: r.get('entry name', 'name', 'title'),
      username,
      password: r.get('password'),
      urls: splitUrls(r.get('link', 'url')),
      tags: tagsOf(r.get('tags')),
      notes: withExtraFields(r.get('notes'), email && email !== username ? [{ name: 'Email', value: email }] : []),
    };
  },
};
