// The share screens' feature state: the Sharing screen of an entry or a folder, the offers waiting
// for me, and dismissing "consider changing this password". It receives ask, nav and notice from
// the popup, and tells the list to refresh when shares changed.
import { t } from '../i18n';
import type { Ask } from './ask';
import type { Nav, Screen } from './nav.svelte';
import type { Notice } from './notice.svelte';
import { ShareEditor, type ShareSubject } from './share-editor.svelte';
import { onSharesChanged, ShareOffers } from './share-offers.svelte';

export class ShareFlows {
  editor = $state.raw<ShareEditor | null>(null);
  readonly offers: ShareOffers;
  readonly #ask: Ask;
  readonly #nav: Nav;
  readonly #notice: Notice;
  readonly #changed: () => void;

  /** `changed`: what else to reload (the list) after a share changed here or in the background. */
  constructor(ask: Ask, nav: Nav, notice: Notice, changed: () => void) {
    this.#ask = ask;
    this.#nav = nav;
    this.#notice = notice;
    this.#changed = changed;
    this.offers = new ShareOffers(ask, notice, changed);
  }

  /** Follows the background's broadcast for as long as the popup is open; returns the stop. */
  watch(): () => void {
    return onSharesChanged(() => {
      void this.offers.load();
      this.#changed();
    });
  }

  /** Opens the Sharing screen of an entry or a folder; Esc leads back to `from`. */
  open(subject: ShareSubject, from: Screen): void {
    this.editor = new ShareEditor(this.#ask, subject);
    void this.editor.load();
    this.#nav.go({ name: 'sharing', from });
  }

  async save(): Promise<void> {
    const editor = this.editor;
    if (!editor || !(await editor.save())) return;
    this.#notice.show(t('shareSaved'));
    this.#changed();
  }

  /**
   * Stop sharing (the creator: the entries stay, back in my vault, so back where I came from) or
   * Leave (a member: the entries are gone from my vault, so back to the list).
   */
  async end(how: 'end' | 'leave'): Promise<void> {
    const editor = this.editor;
    if (!editor || !(await editor.end(how))) return;
    this.#notice.show(how === 'end' ? t('shareEnded') : t('shareLeft'));
    this.editor = null;
    if (how === 'end') this.#nav.back();
    else this.#nav.go({ name: 'list' });
    this.#changed();
  }

  async dismissChangeAdvice(entryId: string): Promise<boolean> {
    const reply = await this.#ask('shares.dismissChangeAdvice', { entryId });
    if (!reply.ok) {
      this.#notice.show(reply.message, 'error');
      return false;
    }
    this.#changed();
    return true;
  }

  forget(): void {
    this.editor = null;
  }
}
