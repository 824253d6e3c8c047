// Saving entries revealed on a pick-up page into the vault. The popup read them from the page on
// the person's click; here they are checked against the link payload's entry schema (the page is
// not trusted) and written in one transaction, so they sync like any entry.
import { AppError } from '../errors';
import { t } from '../i18n';
import { emptyEntryFields, type EntryFields } from '../model/entry';
import { isWebAddress } from '../model/address';
import { LINK_MAX_ENTRIES, linkEntrySchema, type LinkEntry } from '../sharing/link-format';
import type { VaultService } from './types';

const MAX_FOLDER = 200;

/** The entries as the page gave them, each checked against the link payload's entry schema. */
export function parseSharedEntries(entries: unknown): LinkEntry[] | undefined {
  if (!Array.isArray(entries) || entries.length === 0 || entries.length > LINK_MAX_ENTRIES) return undefined;
  const out: LinkEntry[] = [];
  for (const e of entries) {
    const r = linkEntrySchema.safeParse(e);
    if (!r.success) return undefined;
    out.push(r.data);
  }
  return out;
}

export function sharedToFields(e: LinkEntry, folder: string): EntryFields {
  // An address the vault would refuse (not a web address) is kept in the notes rather than lost.
  const urls = e.urls.filter(isWebAddress);
  const other = e.urls.filter((u) => !isWebAddress(u));
  const notes = [e.notes ?? '', ...other].filter(Boolean).join('\n');
  return { ...emptyEntryFields(), title: e.title, username: e.username, password: e.password, urls, notes, folder, ...(e.totp ? { totp: e.totp } : {}) };
}

export async function saveSharedEntries(vault: VaultService, input: { entries: unknown[]; folder: string }): Promise<{ saved: number }> {
  const parsed = parseSharedEntries(input?.entries);
  if (!parsed) throw new AppError('BAD_INPUT', t('pickupErrorInvalid'));
  const folder = typeof input.folder === 'string' ? input.folder.trim() : '';
  if (folder.length > MAX_FOLDER) throw new AppError('BAD_INPUT', t('pickupErrorFolder', MAX_FOLDER));
  const saved = await vault.writeBatch(parsed.map((e) => ({ fields: sharedToFields(e, folder) })));
  return { saved: saved.length };
}
