// 1Password 8: File → Export → 1PUX. A zip whose export.data is JSON: accounts → vaults (the folder)
// → items with overview { title, url, urls, tags } and details { loginFields (designation username
// or password), notesPlain, password, sections [{ title, fields [{ title, value: { totp | string |
// concealed | url | … } }] }] }. Only export.data is unpacked; attachments are not imported.
import { unzipSync } from 'fflate';
import { AppError } from '../../errors';
import { blankEntry, withExtraFields, type ImportedEntry, type ParsedImport } from '../model';
import { t } from '../../i18n';

interface PuxField {
  title?: string;
  value?: Record<string, unknown>;
}
interface PuxItem {
  state?: string;
  overview?: { title?: string; url?: string; urls?: { url?: string }[]; tags?: string[] };
  details?: {
    loginFields?: { value?: string; name?: string; designation?: string }[];
    notesPlain?: string;
    password?: string;
    sections?: { title?: string; fields?: PuxField[] }[];
  };
}
interface PuxData {
  accounts?: { vaults?: { attrs?: { name?: string }; items?: PuxItem[] }[] }[];
}

function unreadable(): AppError {
  return new AppError('BAD_INPUT', t('errorImport1puxUnreadable'));
}

function readData(bytes: Uint8Array): PuxData {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => f.name === 'export.data' });
  } catch {
    throw unreadable();
  }
  const data = files['export.data'];
  if (!data) throw unreadable();
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data)) as PuxData;
  } catch {
    throw unreadable();
  }
}

function fieldText(value: Record<string, unknown> | undefined): { kind: string; text: string } {
  const [kind, v] = Object.entries(value ?? {})[0] ?? ['', ''];
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return { kind, text: String(v) };
  return { kind, text: v ? JSON.stringify(v) : '' };
}

function entryOf(item: PuxItem, folder: string, line: number): ImportedEntry {
  const o = item.overview ?? {};
  const d = item.details ?? {};
  const login = d.loginFields ?? [];
  const urls = [...(o.urls ?? []).map((u) => u.url ?? ''), o.url ?? ''].filter((u, i, all) => u !== '' && all.indexOf(u) === i);
  const extras: { name: string; value: string }[] = [];
  let totp: string | undefined;
  for (const s of d.sections ?? []) {
    for (const f of s.fields ?? []) {
      const { kind, text } = fieldText(f.value);
      if (kind === 'totp' && !totp && text) totp = text;
      else if (text) extras.push({ name: f.title || s.title || kind, value: text });
    }
  }
  return {
    ...blankEntry(line),
    title: o.title ?? '',
    username: login.find((f) => f.designation === 'username')?.value ?? '',
    password: login.find((f) => f.designation === 'password')?.value ?? d.password ?? '',
    urls,
    notes: withExtraFields(d.notesPlain ?? '', extras),
    tags: o.tags ?? [],
    folder,
    ...(totp ? { totp } : {}),
  };
}

export function importOnePassword1pux(bytes: Uint8Array): ParsedImport {
  const data = readData(bytes);
  if (!Array.isArray(data.accounts)) throw unreadable();
  const entries: ImportedEntry[] = [];
  for (const account of data.accounts) {
    for (const vault of account.vaults ?? []) {
      for (const item of vault.items ?? []) {
        if (item.state === 'trashed') continue;
        entries.push(entryOf(item, vault.attrs?.name ?? '', entries.length + 1));
      }
    }
  }
  return {
    format: '1password-1pux',
    entries,
    problems: [],
    mapping: [
      { source: 'overview.title', target: 'title' }, { source: 'loginFields (username)', target: 'username' }, { source: 'loginFields (password)', target: 'password' },
      { source: 'overview.urls', target: 'urls' }, { source: 'overview.tags', target: 'tags' }, { source: 'notesPlain', target: 'notes' },
      { source: 'sections (one-time password)', target: 'totp' }, { source: 'sections (other fields)', target: 'notes' }, { source: 'vault', target: 'folder' },
    ],
  };
}
