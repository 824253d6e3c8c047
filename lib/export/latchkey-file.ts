// Latchkey's own export: every field of every entry (folders, tags, notes, several URLs, autologin,
// one-time code) sealed under a passphrase the person chooses. The file is JSON around one
// envelope: { latchkey: "export", version, id, kdf, salt, data }.
import { z } from 'zod';
import { fromBase64Url, fromUtf8, toBase64Url, utf8 } from '../crypto/encoding';
import { openWithPassphrase, sealWithPassphrase, type Derive } from '../crypto/passphrase-seal';
import { randomBytes } from '../crypto/random';
import { AppError } from '../errors';
import { entryFieldsSchema, type EntryFields } from '../model/entry';
import type { ImportedEntry } from '../import/model';
import { t } from '../i18n';

export const EXPORT_FILE_VERSION = 1;

const fileSchema = z.object({
  latchkey: z.literal('export'),
  version: z.literal(EXPORT_FILE_VERSION),
  id: z.string().min(16).max(64),
  kdf: z.object({ algorithm: z.literal('argon2id'), memoryKiB: z.number(), passes: z.number(), lanes: z.number() }),
  salt: z.string().max(64),
  data: z.string(),
});

const payloadSchema = z.object({ entries: z.array(entryFieldsSchema) });

function damaged(cause?: unknown): AppError {
  return new AppError('BAD_INPUT', t('errorExportFileDamaged'), { cause });
}

export async function buildExportFile(entries: EntryFields[], passphrase: string, derive?: Derive): Promise<string> {
  const id = toBase64Url(randomBytes(16));
  const plaintext = utf8(JSON.stringify({ entries }));
  try {
    const sealed = await sealWithPassphrase(passphrase, plaintext, id, derive);
    return JSON.stringify({ latchkey: 'export', version: EXPORT_FILE_VERSION, id, kdf: sealed.kdf, salt: toBase64Url(sealed.salt), data: toBase64Url(sealed.envelope) });
  } finally {
    plaintext.fill(0);
  }
}

export async function openExportFile(bytes: Uint8Array, passphrase: string, derive?: Derive): Promise<ImportedEntry[]> {
  let file: z.infer<typeof fileSchema>;
  let salt: Uint8Array;
  let envelope: Uint8Array;
  try {
    file = fileSchema.parse(JSON.parse(fromUtf8(bytes)));
    salt = fromBase64Url(file.salt);
    envelope = fromBase64Url(file.data);
  } catch (e) {
    throw damaged(e);
  }
  const plaintext = await openWithPassphrase(passphrase, { kdf: { ...file.kdf, algorithm: 'argon2id' }, salt, envelope }, file.id, derive);
  const parsed = payloadSchema.safeParse(JSON.parse(fromUtf8(plaintext)));
  plaintext.fill(0);
  if (!parsed.success) throw damaged(parsed.error);
  return parsed.data.entries.map((f, i) => ({ line: i + 1, ...f, ...(f.totp ? { totp: f.totp } : {}) }));
}
