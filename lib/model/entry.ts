// An entry is one saved login. These types and schemas are shared by the extension and the server.
import { z } from 'zod';
import { t, type MessageKey } from '../i18n';
import { isWebAddress } from './address';
import type { EntryShareMark } from '../messages/share-protocol';
import { MAX_FIELD_BYTES, MAX_LIST_ITEMS, tooLargeForField } from './limits';

export { MAX_FIELD_BYTES, MAX_LIST_ITEMS };

export const MATCH_MODES = ['host', 'domain'] as const;
export type MatchMode = (typeof MATCH_MODES)[number];

const boundedText = (field: MessageKey) =>
  z.string().refine((s) => !tooLargeForField(s), {
    error: () => t('entryFieldTooLarge', t(field)),
    params: { tooLarge: true },
  });

/** Whether a validation issue is a field over MAX_FIELD_BYTES (whatever language its message is in). */
export const isTooLarge = (issue: z.core.$ZodIssue): boolean =>
  issue.code === 'custom' && (issue.params as { tooLarge?: boolean } | undefined)?.tooLarge === true;

export const autologinSchema = z.object({
  enabled: z.boolean(),
  autoSubmit: z.boolean(),
  match: z.enum(MATCH_MODES),
});
export type AutologinSettings = z.infer<typeof autologinSchema>;

export const DEFAULT_AUTOLOGIN: AutologinSettings = { enabled: false, autoSubmit: false, match: 'host' };

/** What a person types into the entry form. */
export const entryFieldsSchema = z.object({
  title: boundedText('entryFieldTitle'),
  username: boundedText('entryFieldUsername'),
  password: boundedText('entryFieldPassword'),
  urls: z.array(boundedText('entryFieldUrl').refine(isWebAddress, { error: (issue) => t('entryUrlInvalid', String(issue.input)) })).max(MAX_LIST_ITEMS),
  notes: boundedText('entryFieldNotes'),
  tags: z.array(boundedText('entryFieldTag')).max(MAX_LIST_ITEMS),
  folder: boundedText('entryFieldFolder'),
  autologin: autologinSchema,
  /**
   * The entry's one-time-code secret as an otpauth:// URI (lib/totp), or absent. It lives in the
   * details half, sealed with the password, so listing never opens it.
   */
  totp: boundedText('entryFieldTotp').optional(),
});
export type EntryFields = z.infer<typeof entryFieldsSchema>;

/**
 * What a save sends: a new entry (no id), or a change to one, which always says the revision it
 * started from, so a change made meanwhile (another device, another writer) is caught and not
 * overwritten.
 */
export type EntryWrite =
  | { id?: undefined; baseRevision?: undefined; fields: EntryFields; baseFields?: undefined }
  | {
      id: string;
      baseRevision: number;
      fields: EntryFields;
      /**
       * The fields as they were at `baseRevision` (the edit form sends them): with them, a change made
       * meanwhile is merged field by field instead of refusing the save (vault.save only).
       */
      baseFields?: EntryFields;
    };

/** What vault.save answers: the entry saved, and the conflict copy a merge kept of this save's version, if it made one. */
export type SavedEntry = EntrySummary & { conflictCopy?: string };

export function emptyEntryFields(): EntryFields {
  return { title: '', username: '', password: '', urls: [], notes: '', tags: [], folder: '', autologin: { ...DEFAULT_AUTOLOGIN } };
}

/**
 * The part of an entry that lists and search need: everything but password and notes.
 * It is encrypted separately from the details so listing 10,000 entries never decrypts a password.
 */
export type EntryOverview = Pick<EntryFields, 'title' | 'username' | 'urls' | 'tags' | 'folder' | 'autologin'>;
export type EntryDetails = Pick<EntryFields, 'password' | 'notes' | 'totp'>;

export function splitFields(f: EntryFields): { overview: EntryOverview; details: EntryDetails } {
  const { password, notes, totp, ...overview } = f;
  return { overview, details: totp ? { password, notes, totp } : { password, notes } };
}

/** An entry as the popup lists it: no password, no notes. */
export interface EntrySummary extends EntryOverview {
  id: string;
  revision: number;
  updatedAt: number;
  hasPassword: boolean;
  /**
   * Set on the copy sync keeps of this device's version when the same field was changed differently
   * on two devices: the id of the entry it conflicts with. Not a tag, so a person's own tag
   * "conflict" means nothing to sync. An edit of the copy is the person's decision and clears it.
   */
  conflictOf?: string;
  /**
   * When the entry was moved to the trash (lib/vault/trash.ts), sealed with the overview so it syncs
   * as an edit. A trashed entry is left out of the list, search, autofill and health.
   */
  trashedAt?: number;
  /** Set when the entry is in a share (issue 14): its mark in the list, and what the share filters need. */
  share?: EntryShareMark;
}

/** A password the entry had, and when it was replaced (newest first, at most PASSWORD_HISTORY_MAX). */
export interface PasswordHistoryItem {
  password: string;
  replacedAt: number;
}

export const PASSWORD_HISTORY_MAX = 10;

/** A whole decrypted entry, sent only to the popup or options page on request. */
export interface Entry extends EntryFields {
  id: string;
  revision: number;
  createdAt: number;
  updatedAt: number;
  /** The passwords it had before, newest first. */
  passwordHistory: PasswordHistoryItem[];
  trashedAt?: number;
}
