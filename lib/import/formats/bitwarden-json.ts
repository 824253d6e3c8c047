// Bitwarden: Tools → Export vault → .json (not the encrypted kind). { encrypted: false, folders:
// [{ id, name }], items: [{ folderId, type, name, notes, fields: [{ name, value }], login: { uris:
// [{ uri }], username, password, totp } }] }; an organisation's export has collections instead.
import { AppError } from '../../errors';
import { blankEntry, withExtraFields, type ImportedEntry, type ParsedImport } from '../model';
import { t } from '../../i18n';

interface BwItem {
  folderId?: string | null;
  collectionIds?: string[] | null;
  name?: string;
  notes?: string | null;
  fields?: { name?: string | null; value?: string | null }[] | null;
  login?: { uris?: { uri?: string | null }[] | null; username?: string | null; password?: string | null; totp?: string | null } | null;
  card?: Record<string, unknown> | null;
  identity?: Record<string, unknown> | null;
}

const str = (v: unknown) => (typeof v === 'string' ? v : v == null ? '' : String(v));

export function looksLikeBitwardenJson(json: unknown): boolean {
  const j = json as { items?: unknown; encrypted?: unknown };
  return !!j && typeof j === 'object' && (j.encrypted === true || (Array.isArray(j.items) && 'encrypted' in j));
}

export function importBitwardenJson(json: unknown): ParsedImport {
  const root = json as { encrypted?: boolean; folders?: { id: string; name: string }[]; collections?: { id: string; name: string }[]; items: BwItem[] };
  if (root.encrypted) {
    throw new AppError('BAD_INPUT', t('errorImportBitwardenEncrypted'));
  }
  if (!Array.isArray(root.items)) throw new AppError('BAD_INPUT', t('errorImportBitwardenEmpty'));
  const names = new Map<string, string>();
  for (const f of [...(root.folders ?? []), ...(root.collections ?? [])]) names.set(f.id, f.name);
  const entries: ImportedEntry[] = root.items.map((item, i) => {
    const extras = (item.fields ?? []).map((f) => ({ name: str(f.name), value: str(f.value) }));
    for (const part of [item.card, item.identity]) {
      if (part) for (const [name, value] of Object.entries(part)) if (value != null && value !== '') extras.push({ name, value: str(value) });
    }
    const login = item.login ?? {};
    const folderId = item.folderId ?? item.collectionIds?.[0];
    return {
      ...blankEntry(i + 1),
      title: str(item.name),
      username: str(login.username),
      password: str(login.password),
      urls: (login.uris ?? []).map((u) => str(u.uri)).filter(Boolean),
      notes: withExtraFields(str(item.notes), extras),
      folder: folderId ? (names.get(folderId) ?? '') : '',
      ...(login.totp ? { totp: login.totp } : {}),
    };
  });
  return {
    format: 'bitwarden-json',
    entries,
    problems: [],
    mapping: [
      { source: 'name', target: 'title' }, { source: 'login.username', target: 'username' }, { source: 'login.password', target: 'password' },
      { source: 'login.uris', target: 'urls' }, { source: 'login.totp', target: 'totp' }, { source: 'notes', target: 'notes' },
      { source: 'fields', target: 'notes' }, { source: 'folderId', target: 'folder' },
    ],
  };
}
