// KeePass and KeePassXC databases (KDBX 3.1 and 4) through kdbxweb, with Argon2 from hash-wasm.
// Groups become folders (below the root), entries keep their custom fields in the notes, and the
// one-time code comes from KeePassXC's "otp" field or KeePass 2's TimeOtp-Secret fields.
import * as kdbxweb from 'kdbxweb';
import { argon2d, argon2id } from 'hash-wasm';
import { AppError } from '../../errors';
import { blankEntry, withExtraFields, type ImportedEntry, type ParsedImport } from '../model';
import { t } from '../../i18n';

const STANDARD = new Set(['Title', 'UserName', 'Password', 'URL', 'Notes']);
const TOTP_FIELDS = ['otp', 'TimeOtp-Secret-Base32', 'TOTP Seed'];

let argonReady = false;
export function useHashWasmArgon2(): void {
  if (argonReady) return;
  argonReady = true;
  kdbxweb.CryptoEngine.setArgon2Impl(async (password, salt, memory, iterations, length, parallelism, type, version) => {
    if (version !== 0x13) throw new AppError('BAD_INPUT', t('errorImportKeepassOldArgon2'));
    const args = { password: new Uint8Array(password), salt: new Uint8Array(salt), memorySize: memory, iterations, hashLength: length, parallelism, outputType: 'binary' as const };
    const out = type === kdbxweb.CryptoEngine.Argon2TypeArgon2id ? await argon2id(args) : await argon2d(args);
    return out.slice().buffer;
  });
}

const text = (v: kdbxweb.KdbxEntryField | undefined) => (v instanceof kdbxweb.ProtectedValue ? v.getText() : (v ?? ''));

function entryOf(entry: kdbxweb.KdbxEntry, folder: string, line: number): ImportedEntry {
  const urls: string[] = [];
  const extras: { name: string; value: string }[] = [];
  let totp: string | undefined;
  const main = text(entry.fields.get('URL'));
  if (main) urls.push(main);
  for (const [name, value] of entry.fields) {
    if (STANDARD.has(name)) continue;
    const v = text(value);
    if (!v) continue;
    if (TOTP_FIELDS.includes(name) && !totp) totp = v;
    else if (/^(KP2A_URL|URL)/i.test(name) && /^[a-z][a-z0-9+.-]*:\/\//i.test(v)) urls.push(v);
    else if (name !== 'TimeOtp-Algorithm' && name !== 'TimeOtp-Length' && name !== 'TimeOtp-Period' && name !== 'TOTP Settings') extras.push({ name, value: v });
  }
  return {
    ...blankEntry(line),
    title: text(entry.fields.get('Title')),
    username: text(entry.fields.get('UserName')),
    password: text(entry.fields.get('Password')),
    urls,
    notes: withExtraFields(text(entry.fields.get('Notes')), extras),
    tags: [...entry.tags],
    folder,
    ...(totp ? { totp } : {}),
  };
}

function failure(e: unknown): AppError {
  if (e instanceof AppError) return e;
  const code = (e as { code?: string })?.code;
  if (code === kdbxweb.Consts.ErrorCodes.InvalidKey) return new AppError('WRONG_PASSWORD', t('errorImportKeepassWrongPassword'));
  if (code === kdbxweb.Consts.ErrorCodes.BadSignature) return new AppError('BAD_INPUT', t('errorImportKeepassNotKdbx'));
  if (code === kdbxweb.Consts.ErrorCodes.InvalidVersion) return new AppError('BAD_INPUT', t('errorImportKeepassVersion'));
  return new AppError('BAD_INPUT', t('errorImportKeepassDamaged'), { cause: e });
}

export async function importKeepassKdbx(bytes: Uint8Array, password: string): Promise<ParsedImport> {
  useHashWasmArgon2();
  let db: kdbxweb.Kdbx;
  try {
    const credentials = new kdbxweb.Credentials(kdbxweb.ProtectedValue.fromString(password));
    db = await kdbxweb.Kdbx.load(bytes.slice().buffer, credentials);
  } catch (e) {
    throw failure(e);
  }
  const recycleBin = db.meta.recycleBinUuid?.id;
  const entries: ImportedEntry[] = [];
  const walk = (group: kdbxweb.KdbxGroup, path: string) => {
    if (recycleBin && group.uuid.id === recycleBin) return;
    for (const e of group.entries) entries.push(entryOf(e, path, entries.length + 1));
    for (const g of group.groups) walk(g, path ? `${path}/${g.name ?? ''}` : (g.name ?? ''));
  };
  walk(db.getDefaultGroup(), '');
  return {
    format: 'keepass-kdbx',
    entries,
    problems: [],
    mapping: [
      { source: 'Title', target: 'title' }, { source: 'UserName', target: 'username' }, { source: 'Password', target: 'password' },
      { source: 'URL', target: 'urls' }, { source: 'Notes', target: 'notes' }, { source: 'Tags', target: 'tags' },
      { source: 'otp', target: 'totp' }, { source: 'Group', target: 'folder' }, { source: '(custom fields)', target: 'notes' },
    ],
  };
}
