// The entry form's rules: what the form holds while someone types, how it becomes EntryFields, and
// which errors to show before anything is sent. The background validates again; this is for speed.
import { formatNumber, t, type MessageKey } from '../i18n';
import { parseWebAddress } from '../model/address';
import type { EntryFields, MatchMode } from '../model/entry';

// The schema's limits come from a zod-free module: importing a value from lib/model/entry.ts would
// build its zod schemas and pull zod into the popup's first chunk.
import { MAX_FIELD_BYTES, MAX_LIST_ITEMS, tooLargeForField, utf8Length } from '../model/limits';

export { tooLargeForField };

export { MAX_FIELD_BYTES, MAX_LIST_ITEMS };

/** The form as typed: tags as one comma-separated line, URLs one input each (blank ones allowed). */
export interface EntryDraft {
  title: string;
  username: string;
  password: string;
  urls: string[];
  notes: string;
  tags: string;
  folder: string;
  autologin: boolean;
  autoSubmit: boolean;
  match: MatchMode;
  /** The one-time-code secret as typed (otpauth:// link or base32); the background checks it. */
  totp: string;
}

export type DraftField = keyof EntryDraft;
export type DraftErrors = Partial<Record<DraftField, string>>;

export function emptyDraft(): EntryDraft {
  return { title: '', username: '', password: '', urls: [''], notes: '', tags: '', folder: '', autologin: false, autoSubmit: false, match: 'host', totp: '' };
}

export function draftFromFields(f?: EntryFields): EntryDraft {
  if (!f) return emptyDraft();
  return {
    title: f.title,
    username: f.username,
    password: f.password,
    urls: f.urls.length ? [...f.urls] : [''],
    notes: f.notes,
    tags: formatTags(f.tags),
    folder: f.folder,
    autologin: f.autologin.enabled,
    autoSubmit: f.autologin.autoSubmit,
    match: f.autologin.match,
    totp: f.totp ?? '',
  };
}

export function fieldsFromDraft(d: EntryDraft): EntryFields {
  return {
    title: d.title.trim(),
    username: d.username,
    password: d.password,
    urls: d.urls.map((u) => u.trim()).filter(Boolean),
    notes: d.notes,
    tags: parseTags(d.tags),
    folder: d.folder.trim(),
    autologin: { enabled: d.autologin, autoSubmit: d.autologin && d.autoSubmit, match: d.match },
    ...(d.totp.trim() ? { totp: d.totp.trim() } : {}),
  };
}

/** "work, email ,work" -> ["work", "email"]: trimmed, blanks dropped, first spelling of each kept. */
export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const raw of text.split(',')) {
    const tag = raw.trim();
    if (tag && !seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase());
      tags.push(tag);
    }
  }
  return tags;
}

export function formatTags(tags: readonly string[]): string {
  return tags.join(', ');
}


/** The names of the fields whose size is checked, for the error that names them. */
const LABELS: Record<'title' | 'username' | 'password' | 'urls' | 'notes' | 'tags' | 'folder', MessageKey> = {
  title: 'fieldTitle',
  username: 'fieldUsername',
  password: 'fieldPassword',
  urls: 'entryFieldUrl',
  notes: 'fieldNotes',
  tags: 'fieldTags',
  folder: 'fieldFolder',
};

/** Every problem of the draft, by field. Empty when it may be saved. */
export function validateDraft(d: EntryDraft): DraftErrors {
  const errors: DraftErrors = {};
  const tooLarge = (field: keyof typeof LABELS, value: string) => {
    if (!errors[field] && tooLargeForField(value)) {
      errors[field] = t('entryFieldTooLarge', t(LABELS[field]), formatNumber(Math.ceil(utf8Length(value) / 1024)));
    }
  };
  for (const field of ['title', 'username', 'password', 'notes', 'folder'] as const) tooLarge(field, d[field]);
  for (const url of d.urls) tooLarge('urls', url);
  for (const tag of parseTags(d.tags)) tooLarge('tags', tag);
  if (!errors.title && !d.title.trim()) errors.title = t('entryTitleMissing');
  const badUrl = d.urls.map((u) => u.trim()).find((u) => u && !parseWebAddress(u));
  if (!errors.urls && badUrl !== undefined) errors.urls = t('entryUrlInvalid', badUrl);
  if (!errors.urls && d.urls.filter((u) => u.trim()).length > MAX_LIST_ITEMS) errors.urls = t('entryTooManyUrls', formatNumber(MAX_LIST_ITEMS));
  if (!errors.tags && parseTags(d.tags).length > MAX_LIST_ITEMS) errors.tags = t('entryTooManyTags', formatNumber(MAX_LIST_ITEMS));
  return errors;
}

export function sameDraft(a: EntryDraft, b: EntryDraft): boolean {
  return JSON.stringify(fieldsFromDraft(a)) === JSON.stringify(fieldsFromDraft(b));
}
