// Psono: Other → Export → JSON. { folders: [{ name, folders, items }], items: [{ type, name, … }] };
// a website_password item has website_password_{title,url,username,password,notes} and, in newer
// exports, website_password_totp_{code,algorithm,digits,period}; a totp item has totp_{code,…}.
import { totpUri, type TotpAlgorithm } from '../../totp';
import { blankEntry, withExtraFields, type ImportedEntry, type ParsedImport } from '../model';

type PsonoItem = Record<string, unknown> & { type?: string; name?: string };
interface PsonoFolder {
  name?: string;
  folders?: PsonoFolder[];
  items?: PsonoItem[];
}

const str = (v: unknown) => (typeof v === 'string' ? v : v == null ? '' : String(v));

export function looksLikePsonoJson(json: unknown): boolean {
  const j = json as PsonoFolder;
  const items = [...(j?.items ?? []), ...(j?.folders ?? []).flatMap((f) => f.items ?? [])];
  return !!j && typeof j === 'object' && (Array.isArray(j.items) || Array.isArray(j.folders)) && items.some((i) => typeof i?.type === 'string' && typeof i.name === 'string') && !('encrypted' in j);
}

/** Psono keeps the secret and its settings apart; a URI carries them together. */
function totpOf(item: PsonoItem, prefix: string): string | undefined {
  const code = str(item[`${prefix}_code`]);
  if (!code) return undefined;
  try {
    const algorithm = (str(item[`${prefix}_algorithm`]) || 'SHA1').toUpperCase().replace('-', '') as TotpAlgorithm;
    return totpUri({ secret: code.replace(/\s/g, '').toUpperCase(), algorithm, digits: Number(item[`${prefix}_digits`] ?? 6) || 6, period: Number(item[`${prefix}_period`] ?? 30) || 30, issuer: '', label: str(item.name) });
  } catch {
    return code; // reported when the import is written
  }
}

function entryOf(item: PsonoItem, folder: string, line: number): ImportedEntry {
  const type = item.type ?? '';
  const field = (name: string) => str(item[`${type}_${name}`]);
  const known = new Set(['type', 'name', 'id', 'create_date', 'write_date', 'callback_url', 'callback_user', 'callback_pass'].concat(['title', 'url', 'username', 'password', 'notes', 'url_filter', 'auto_submit', 'code', 'algorithm', 'digits', 'period', 'totp_code', 'totp_algorithm', 'totp_digits', 'totp_period'].map((n) => `${type}_${n}`)));
  const extras = Object.entries(item).filter(([k, v]) => !known.has(k) && typeof v === 'string' && v !== '').map(([name, value]) => ({ name: name.replace(`${type}_`, ''), value: str(value) }));
  const totp = type === 'totp' ? totpOf(item, 'totp') : totpOf(item, `${type}_totp`);
  return {
    ...blankEntry(line),
    title: field('title') || str(item.name),
    username: field('username'),
    password: field('password'),
    urls: field('url') ? [field('url')] : [],
    notes: withExtraFields(field('notes'), extras),
    folder,
    ...(totp ? { totp } : {}),
  };
}

export function importPsonoJson(json: unknown): ParsedImport {
  const entries: ImportedEntry[] = [];
  const walk = (f: PsonoFolder, path: string) => {
    for (const item of f.items ?? []) if (item && typeof item === 'object') entries.push(entryOf(item, path, entries.length + 1));
    for (const sub of f.folders ?? []) walk(sub, path ? `${path}/${str(sub.name)}` : str(sub.name));
  };
  walk(json as PsonoFolder, '');
  return {
    format: 'psono-json',
    entries,
    problems: [],
    mapping: [
      { source: 'website_password_title', target: 'title' }, { source: 'website_password_username', target: 'username' }, { source: 'website_password_password', target: 'password' },
      { source: 'website_password_url', target: 'urls' }, { source: 'website_password_notes', target: 'notes' }, { source: 'website_password_totp_code', target: 'totp' }, { source: 'folders', target: 'folder' },
    ],
  };
}
