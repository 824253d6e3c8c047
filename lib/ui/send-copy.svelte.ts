// "Send a copy": the entries chosen, the person, a note of at most 500 characters (counted as the
// background counts them), include notes, then a confirmation saying it cannot be taken back.
import { t } from '../i18n';
import { MESSAGE_NOTE_MAX, noteLength } from '../sharing/message-format';
import type { Ask } from './ask';
import type { LinkSubject } from './link-draft.svelte';

export class SendCopy {
  readonly entries: LinkSubject[];
  recipientId = $state('');
  note = $state('');
  includeNotes = $state(false);
  step = $state<'compose' | 'confirm'>('compose');
  error = $state('');
  busy = $state(false);
  sent = $state(false);
  readonly #ask: Ask;

  constructor(ask: Ask, entries: LinkSubject[], recipientId = '') {
    this.#ask = ask;
    this.entries = entries;
    this.recipientId = recipientId;
  }

  /** Characters left; below zero the note is refused. */
  get left(): number {
    return MESSAGE_NOTE_MAX - noteLength(this.note);
  }

  /** Checks what can be checked here; true moves on to the confirmation. */
  review(): boolean {
    this.error = '';
    if (this.entries.length === 0) this.error = t('messageErrorNoEntries');
    else if (!this.recipientId) this.error = t('sendErrorNoRecipient');
    else if (this.left < 0) this.error = t('messageErrorNoteTooLong', MESSAGE_NOTE_MAX);
    if (this.error) return false;
    this.step = 'confirm';
    return true;
  }

  async send(): Promise<boolean> {
    this.busy = true;
    this.error = '';
    try {
      const reply = await this.#ask('messages.send', { recipientId: this.recipientId, entryIds: this.entries.map((e) => e.id), note: this.note, includeNotes: this.includeNotes });
      if (!reply.ok) {
        this.error = reply.message;
        this.step = 'compose';
        return false;
      }
      this.sent = true;
      return true;
    } finally {
      this.busy = false;
    }
  }
}
