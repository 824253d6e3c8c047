// The link dialog's state: what the person chose, its field errors, and creating the link through
// the background (which derives the key and talks to the server). After creation it holds the link
// and, for a PIN link, the PIN: shown once on the next screen and kept nowhere else.
import { t } from '../i18n';
import type { LinkCreated, LinkCreateRequest, LinkProtection } from '../messages/link-protocol';
import { LINK_ATTEMPTS } from '../messages/link-protocol';
import { DAY_MS, parseEmails, validateLinkRequest, type LinkErrors } from '../sharing/link-options';
import type { Ask } from './ask';

export type ExpiryPreset = '1h' | '1d' | '7d' | '30d' | 'date';
export const EXPIRY_PRESETS: Record<Exclude<ExpiryPreset, 'date'>, number> = { '1h': 3_600_000, '1d': DAY_MS, '7d': 7 * DAY_MS, '30d': 30 * DAY_MS };
export type ProtectionKind = LinkProtection['kind'];

export interface LinkSubject {
  id: string;
  title: string;
}

/** "2026-12-05T14:30" for an <input type="datetime-local">, in local time. */
export function localDateTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export class LinkDraft {
  readonly entries: LinkSubject[];
  title = $state('');
  uses = $state('1');
  expiry = $state<ExpiryPreset>('1d');
  /** With expiry 'date': the local date and time it ends. */
  date = $state('');
  protection = $state<ProtectionKind>('pin');
  passphrase = $state('');
  attempts = $state(String(LINK_ATTEMPTS.default));
  includeNotes = $state(false);
  restrict = $state(false);
  emails = $state('');
  errors = $state<LinkErrors>({});
  /** A problem with the whole request (locked, no account, server unreachable). */
  formError = $state('');
  busy = $state(false);
  created = $state.raw<LinkCreated | null>(null);
  /** The PIN of the link just created; shown once. */
  pin = $state('');
  readonly #ask: Ask;
  readonly #makePin: () => Promise<string>;

  constructor(ask: Ask, entries: LinkSubject[], options: { makePin?: () => Promise<string>; now?: number } = {}) {
    this.#ask = ask;
    this.entries = entries;
    this.title = entries.length === 1 ? entries[0]!.title : t('linkDefaultTitleMany', entries.length);
    this.date = localDateTime((options.now ?? Date.now()) + 7 * DAY_MS);
    // The PIN comes from lib/crypto/link-share (loaded when needed, so the list opens no slower).
    this.#makePin = options.makePin ?? (async () => (await import('../crypto/link-share')).generateLinkPin());
  }

  expiresAt(now: number): number {
    if (this.expiry !== 'date') return now + EXPIRY_PRESETS[this.expiry];
    const at = new Date(this.date).getTime();
    return Number.isNaN(at) ? NaN : at;
  }

  request(now: number, pin: string): LinkCreateRequest {
    const protection: LinkProtection =
      this.protection === 'pin' ? { kind: 'pin', pin } : this.protection === 'passphrase' ? { kind: 'passphrase', passphrase: this.passphrase } : { kind: 'none' };
    return {
      entryIds: this.entries.map((e) => e.id),
      title: this.title.trim(),
      maxUses: /^\d+$/.test(this.uses.trim()) ? Number(this.uses.trim()) : NaN,
      expiresAt: this.expiresAt(now),
      protection,
      ...(this.protection === 'passphrase' ? { maxAttempts: /^\d+$/.test(this.attempts.trim()) ? Number(this.attempts.trim()) : NaN } : {}),
      includeNotes: this.includeNotes,
      emails: this.restrict ? parseEmails(this.emails) : [],
    };
  }

  /** Checks the fields (nothing is sent while any is wrong), then creates the link. */
  async submit(now = Date.now()): Promise<boolean> {
    this.formError = '';
    const pin = this.protection === 'pin' ? await this.#makePin() : '';
    const req = this.request(now, pin);
    const errors = validateLinkRequest(req, now);
    if (this.restrict && req.emails.length === 0) errors.emails = t('linkErrorEmailsMissing');
    this.errors = errors;
    if (Object.keys(errors).length > 0) return false;
    this.busy = true;
    try {
      const reply = await this.#ask('links.create', req);
      if (!reply.ok) {
        this.formError = reply.message;
        return false;
      }
      this.pin = pin;
      this.created = reply.value;
      return true;
    } finally {
      this.busy = false;
    }
  }
}
