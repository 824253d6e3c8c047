// The fields of an entry as the vault writes them: validation of what a person typed (or an import
// brought), and the summary the popup lists, shared by the vault and import services.
import { toBase64Url } from '../crypto/encoding';
import { randomBytes } from '../crypto/random';
import { AppError } from '../errors';
import type { EntryFields, EntrySummary } from '../model/entry';
import { entryFieldsSchema, isTooLarge, MAX_FIELD_BYTES } from '../model/entry';
import { normalizeTotp } from '../totp';
import { isLegacyConflictCopy } from '../vault/conflict';
import type { EntryRecord } from '../vault/db';
import type { openOverview } from '../vault/entry-crypto';
import { trashedAtOf } from '../vault/trash';
import { t } from '../i18n';

export function newEntryId(): string {
  return toBase64Url(randomBytes(16));
}

export function describe(fields: { title?: unknown }, id?: string): string {
  const title = typeof fields.title === 'string' && fields.title.trim() ? `"${fields.title.slice(0, 60)}"` : undefined;
  return title ?? (id ? t('entryDescribeId', id) : t('entryDescribeNew'));
}

/** Validates what a person typed; a bad field names the entry and changes nothing. */
export function validateFields(input: unknown, id?: string): EntryFields {
  const parsed = entryFieldsSchema.safeParse(input);
  if (parsed.success) {
    const { totp, ...rest } = parsed.data;
    // A one-time-code secret is kept in one canonical form; an unreadable one changes nothing.
    return totp?.trim() ? { ...rest, totp: normalizeTotp(totp) } : rest;
  }
  const name = describe((input ?? {}) as { title?: unknown }, id);
  const issue = parsed.error.issues[0];
  const tooLarge = parsed.error.issues.some((i) => isTooLarge(i));
  if (tooLarge) {
    throw new AppError('TOO_LARGE', t('errorFieldTooLarge', issue?.message ?? t('errorFieldTooLargeGeneric'), name, MAX_FIELD_BYTES / 1024), { subject: id });
  }
  const where = issue?.path.join('.') || t('entryDescribeWhole');
  throw new AppError('BAD_INPUT', t('errorFieldInvalid', where, name, issue?.message ?? t('errorFieldInvalidGeneric')), { subject: id });
}

export function toSummary(record: EntryRecord, overview: ReturnType<typeof openOverview>): EntrySummary {
  return {
    id: record.id,
    revision: record.revision,
    updatedAt: record.updatedAt,
    title: overview.title,
    username: overview.username,
    urls: overview.urls,
    tags: overview.tags,
    folder: overview.folder,
    autologin: overview.autologin,
    hasPassword: overview.hasPassword,
    ...conflictMark(overview, record.revision, record.id),
    ...trashMark(overview.trashedAt),
  };
}

function trashMark(value: unknown): { trashedAt?: number } {
  const trashedAt = trashedAtOf(value);
  return trashedAt === undefined ? {} : { trashedAt };
}

function conflictMark(overview: ReturnType<typeof openOverview>, revision: number, id: string): { conflictOf?: string } {
  if (typeof overview.conflictOf === 'string') return { conflictOf: overview.conflictOf };
  // Copies made before the mark existed: the entry they conflict with is not known, so their own id stands in.
  return isLegacyConflictCopy(overview, revision) ? { conflictOf: id } : {};
}

export function summaryOf(record: EntryRecord, fields: EntryFields, trashedAt?: number): EntrySummary {
  return toSummary(record, { ...fields, hasPassword: fields.password.length > 0, trashedAt });
}

/**
 * An update must say the revision it started from (EntryWrite): without it, the check that the
 * entry was not changed meanwhile would be skipped, and that change silently overwritten.
 */
export function requireBaseRevision(write: { id?: unknown; baseRevision?: unknown; fields?: unknown }): void {
  if (write.id === undefined) return;
  const base = write.baseRevision;
  if (typeof base !== 'number' || !Number.isSafeInteger(base) || base < 0) {
    const id = typeof write.id === 'string' ? write.id : undefined;
    throw new AppError('BAD_INPUT', t('errorUpdateWithoutRevision', describe((write.fields ?? {}) as { title?: unknown }, id)), { subject: id });
  }
}
