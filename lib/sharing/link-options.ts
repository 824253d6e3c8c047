// What a link share may be asked to be, checked the same way in the popup (field errors as the
// person types) and in the background (nothing reaches the server unchecked). Pure.
import { t } from '../i18n';
import {
  LINK_ATTEMPTS,
  LINK_MAX_DAYS,
  LINK_MAX_EMAILS,
  LINK_MAX_ENTRIES,
  LINK_MAX_USES,
  LINK_TITLE_MAX,
  type LinkCreateRequest,
} from '../messages/link-protocol';

export const DAY_MS = 86_400_000;
export const LINK_MAX_MS = LINK_MAX_DAYS * DAY_MS;
export const MIN_PASSPHRASE_LENGTH = 8;

export type LinkField = 'entries' | 'title' | 'uses' | 'expiry' | 'protection' | 'attempts' | 'emails';
export type LinkErrors = Partial<Record<LinkField, string>>;

/** A plain, sufficient check of an email address (the server checks again). */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Splits "a@x.org, b@y.org" (commas, semicolons, spaces or lines) into addresses. */
export function parseEmails(text: string): string[] {
  return text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
}

export function validateLinkRequest(r: LinkCreateRequest, now: number): LinkErrors {
  const errors: LinkErrors = {};
  if (!Array.isArray(r.entryIds) || r.entryIds.length === 0 || r.entryIds.length > LINK_MAX_ENTRIES) errors.entries = t('linkErrorEntries', LINK_MAX_ENTRIES);
  const title = typeof r.title === 'string' ? r.title.trim() : '';
  if (!title) errors.title = t('linkErrorTitleMissing');
  else if (title.length > LINK_TITLE_MAX) errors.title = t('linkErrorTitleLong', LINK_TITLE_MAX);
  if (!Number.isInteger(r.maxUses) || r.maxUses < 1 || r.maxUses > LINK_MAX_USES) errors.uses = t('linkErrorUses', LINK_MAX_USES);
  if (!Number.isFinite(r.expiresAt) || r.expiresAt <= now) errors.expiry = t('linkErrorExpiryPast');
  else if (r.expiresAt > now + LINK_MAX_MS) errors.expiry = t('linkErrorExpiryFar', LINK_MAX_DAYS);
  const p = r.protection;
  if (p?.kind === 'pin') {
    if (!/^\d{5}$/.test(p.pin)) errors.protection = t('linkErrorPin');
  } else if (p?.kind === 'passphrase') {
    if (typeof p.passphrase !== 'string' || [...p.passphrase].length < MIN_PASSPHRASE_LENGTH) errors.protection = t('linkErrorPassphrase', MIN_PASSPHRASE_LENGTH);
    const a = r.maxAttempts ?? LINK_ATTEMPTS.default;
    if (!Number.isInteger(a) || a < LINK_ATTEMPTS.min || a > LINK_ATTEMPTS.max) errors.attempts = t('linkErrorAttempts', LINK_ATTEMPTS.min, LINK_ATTEMPTS.max);
  } else if (p?.kind !== 'none') {
    errors.protection = t('linkErrorProtection');
  }
  if (!Array.isArray(r.emails) || r.emails.length > LINK_MAX_EMAILS) errors.emails = t('linkErrorEmailsMany', LINK_MAX_EMAILS);
  else {
    const bad = r.emails.find((e) => typeof e !== 'string' || !EMAIL_PATTERN.test(e) || e.length > 254);
    if (bad !== undefined) errors.emails = t('linkErrorEmailInvalid', String(bad));
  }
  return errors;
}

/** The attempts the server is told to allow: PIN always 3, passphrase as chosen, none: no limit. */
export function attemptsFor(r: Pick<LinkCreateRequest, 'protection' | 'maxAttempts'>): number | null {
  if (r.protection.kind === 'pin') return LINK_ATTEMPTS.pin;
  if (r.protection.kind === 'passphrase') return r.maxAttempts ?? LINK_ATTEMPTS.default;
  return null;
}
