// Shares offered to me, waiting for Accept or Decline before they appear in my vault. Reloaded
// whenever the background says shares changed (SHARES_CHANGED_EVENT).
import { browser } from 'wxt/browser';
import { t } from '../i18n';
import { SHARES_CHANGED_EVENT, type ShareOffer } from '../messages/share-protocol';
import type { Ask } from './ask';
import type { Notice } from './notice.svelte';

/** Listens for the background's "shares changed" broadcast; returns the stop. */
export function onSharesChanged(listener: () => void): () => void {
  const handler = (message: unknown) => {
    if ((message as { event?: string } | undefined)?.event === SHARES_CHANGED_EVENT) listener();
  };
  browser.runtime.onMessage.addListener(handler);
  return () => browser.runtime.onMessage.removeListener(handler);
}

export class ShareOffers {
  offers = $state.raw<ShareOffer[]>([]);
  error = $state('');
  busy = $state(false);
  readonly #ask: Ask;
  readonly #notice: Notice;
  readonly #accepted: () => void;

  /** `accepted`: what to reload once a share is in my vault (the list). */
  constructor(ask: Ask, notice: Notice, accepted: () => void = () => {}) {
    this.#ask = ask;
    this.#notice = notice;
    this.#accepted = accepted;
  }

  async load(): Promise<void> {
    const reply = await this.#ask('shares.offers');
    if (reply.ok) {
      this.offers = reply.value;
      this.error = '';
    } else if (reply.code !== 'LOCKED') {
      this.error = reply.message;
    }
  }

  /** Accepts; true when the share is now in my vault. */
  accept(offer: ShareOffer): Promise<boolean> {
    return this.#answer(offer, 'shares.accept', t('shareOfferAccepted', offer.from));
  }

  decline(offer: ShareOffer): Promise<boolean> {
    return this.#answer(offer, 'shares.decline', t('shareOfferDeclined', offer.from));
  }

  async #answer(offer: ShareOffer, type: 'shares.accept' | 'shares.decline', done: string): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    try {
      const reply = await this.#ask(type, { container: offer.container });
      if (!reply.ok) {
        this.#notice.show(reply.message, 'error');
        return false;
      }
      this.offers = this.offers.filter((o) => o.container !== offer.container);
      this.#notice.show(done);
      if (type === 'shares.accept') this.#accepted();
      return true;
    } finally {
      this.busy = false;
    }
  }

  forget(): void {
    this.offers = [];
    this.error = '';
  }
}
