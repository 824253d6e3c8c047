// Passing a new link on: copy it, a draft in the person's own mail app (the link never reaches the
// server that way, and the PIN never goes in), or "Email it for me" through the server.
import { t } from '../i18n';
import { LINK_NOTE_MAX, LINK_SENDER_NAME_MAX, type LinkCreated } from '../messages/link-protocol';
import { EMAIL_PATTERN } from '../sharing/link-options';
import type { Ask } from './ask';

/** A mailto: draft with the title, the note and the link; never the PIN or passphrase. */
export function mailtoHref(link: Pick<LinkCreated, 'title' | 'url'>, note: string, to = ''): string {
  const body = [note.trim(), link.url].filter(Boolean).join('\n\n');
  return `mailto:${encodeURIComponent(to.trim())}?subject=${encodeURIComponent(link.title)}&body=${encodeURIComponent(body)}`;
}

export class LinkDelivery {
  to = $state('');
  senderName = $state('');
  note = $state('');
  errors = $state<{ to?: string; senderName?: string; note?: string }>({});
  formError = $state('');
  sending = $state(false);
  sent = $state(false);
  readonly #ask: Ask;
  readonly link: LinkCreated;

  constructor(ask: Ask, link: LinkCreated) {
    this.#ask = ask;
    this.link = link;
  }

  get mailto(): string {
    return mailtoHref(this.link, this.note, this.to);
  }

  validate(): boolean {
    const errors: typeof this.errors = {};
    if (!EMAIL_PATTERN.test(this.to.trim())) errors.to = t('linkErrorRecipient');
    if (this.senderName.trim().length > LINK_SENDER_NAME_MAX) errors.senderName = t('linkErrorSenderName', LINK_SENDER_NAME_MAX);
    if (this.note.length > LINK_NOTE_MAX) errors.note = t('linkErrorNote', LINK_NOTE_MAX);
    this.errors = errors;
    return Object.keys(errors).length === 0;
  }

  async send(): Promise<boolean> {
    this.formError = '';
    this.sent = false;
    if (!this.validate()) return false;
    this.sending = true;
    try {
      const reply = await this.#ask('links.sendEmail', { id: this.link.id, to: this.to.trim(), senderName: this.senderName.trim(), note: this.note });
      if (!reply.ok) {
        this.formError = reply.message;
        return false;
      }
      this.sent = true;
      return true;
    } finally {
      this.sending = false;
    }
  }
}
