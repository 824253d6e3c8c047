// The popup's side of autologin (lib/messages/autofill-protocol.ts): fill the tab it was opened
// over, open an entry's site and log in there, and answer the background's offer to save a login.
import { t } from '../i18n';
import type { FillOutcome, SaveOffer } from '../messages/autofill-protocol';
import type { Ask } from './ask';
import { closePopup, copyToClipboard } from './browser-bits';
import type { Notice } from './notice.svelte';

export interface FillConfirmation {
  entryId: string;
  actionOrigin: string;
  message: string;
}

export class Autofill {
  /** A login the person just typed on the current tab, offered for saving. */
  saveOffer = $state.raw<SaveOffer | null>(null);
  /** The form posts elsewhere than the page: the person must agree before the fill. */
  confirmation = $state.raw<FillConfirmation | null>(null);
  busy = $state(false);
  tabId: number | undefined;
  readonly #ask: Ask;
  readonly #notice: Notice;

  constructor(ask: Ask, notice: Notice) {
    this.#ask = ask;
    this.#notice = notice;
  }

  async fill(entryId: string, allowActionOrigin?: string): Promise<void> {
    this.confirmation = null;
    this.busy = true;
    const reply = await this.#ask('autofill.fill', { entryId, tabId: this.tabId, ...(allowActionOrigin ? { allowActionOrigin } : {}) });
    this.busy = false;
    if (!reply.ok) return this.#notice.show(reply.message, 'error');
    this.#outcome(entryId, reply.value);
  }

  async openAndLogin(entryId: string): Promise<void> {
    this.busy = true;
    const reply = await this.#ask('autofill.openAndLogin', { entryId });
    this.busy = false;
    if (!reply.ok) return this.#notice.show(reply.message, 'error');
    await closePopup();
  }

  async loadSaveOffer(): Promise<void> {
    const reply = await this.#ask('autofill.saveOffer', { tabId: this.tabId });
    this.saveOffer = reply.ok ? reply.value : null;
  }

  /** Returns true when an entry was saved or updated (the list should be refreshed). */
  async answerSaveOffer(action: 'save' | 'update' | 'dismiss'): Promise<boolean> {
    const offer = this.saveOffer;
    if (!offer) return false;
    this.saveOffer = null;
    const reply = await this.#ask('autofill.answerSaveOffer', { offerId: offer.offerId, action, ...(offer.entryId ? { entryId: offer.entryId } : {}) });
    if (!reply.ok) {
      this.#notice.show(reply.message, 'error');
      return false;
    }
    if (reply.value) this.#notice.show(action === 'update' ? t('popupUpdated', reply.value.title) : t('popupSaved', reply.value.title));
    return reply.value !== null;
  }

  /** After a fill that logs in, the entry's one-time code is on the clipboard for the next step. */
  async #copyCodeThenClose(entryId: string, message: string): Promise<void> {
    const code = await this.#ask('totp.code', { entryId });
    const copied = code.ok && code.value ? await copyToClipboard(code.value.code) : undefined;
    this.#notice.show(copied?.ok ? t('totpCopiedAfterFill', message) : message);
    await closePopup();
  }

  #outcome(entryId: string, out: FillOutcome): void {
    if (out.status === 'confirm' && out.actionOrigin) {
      this.confirmation = { entryId, actionOrigin: out.actionOrigin, message: out.message };
    } else if (out.status === 'filled') {
      void this.#copyCodeThenClose(entryId, out.message);
    } else {
      this.#notice.show(out.message, 'error');
    }
  }
}
