// "My link shares": every link I made with what the server counted, refreshed live when the
// background hears that one was opened (LINKS_CHANGED_EVENT), with revoke and copy again.
import { browser } from 'wxt/browser';
import { t } from '../i18n';
import { LINKS_CHANGED_EVENT, type LinkShareView } from '../messages/link-protocol';
import type { Ask } from './ask';
import { copyText } from './browser-bits';
import type { Notice } from './notice.svelte';

export class LinkShares {
  items = $state.raw<LinkShareView[]>([]);
  loaded = $state(false);
  error = $state('');
  /** The link whose revoke is being confirmed. */
  confirming = $state.raw<LinkShareView | null>(null);
  readonly #ask: Ask;
  readonly #notice: Notice;
  #stop: (() => void) | undefined;

  constructor(ask: Ask, notice: Notice) {
    this.#ask = ask;
    this.#notice = notice;
  }

  async load(): Promise<void> {
    const reply = await this.#ask('links.list');
    if (!reply.ok) {
      this.error = reply.message;
      this.loaded = true;
      return;
    }
    this.error = '';
    this.items = reply.value;
    this.loaded = true;
    if (reply.value.some((l) => l.unseen)) void this.#ask('links.seen');
  }

  /** Loads now and again whenever the background says the links changed; returns the stop. */
  watch(): () => void {
    void this.load();
    const listener = (message: unknown) => {
      if ((message as { event?: string } | undefined)?.event === LINKS_CHANGED_EVENT) void this.load();
    };
    browser.runtime.onMessage.addListener(listener);
    this.#stop = () => browser.runtime.onMessage.removeListener(listener);
    return () => this.#stop?.();
  }

  async revoke(id: string): Promise<void> {
    const reply = await this.#ask('links.revoke', { id });
    if (!reply.ok) return this.#notice.show(reply.message, 'error');
    this.#notice.show(t('linksRevoked'));
    await this.load();
  }

  async copy(id: string): Promise<void> {
    const reply = await this.#ask('links.url', { id });
    if (!reply.ok) return this.#notice.show(reply.message, 'error');
    const out = await copyText(reply.value.url);
    this.#notice.show(out.ok ? t('linkCopied') : out.message, out.ok ? 'info' : 'error');
  }
}
