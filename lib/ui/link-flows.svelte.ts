// The link-share screens' feature state: the dialog for chosen entries, the created link and how
// to pass it on, "My link shares", the right-click menu's way in (entries of a page's site), and
// saving from a pick-up page. It receives what it needs (ask, nav, notice) from the popup.
import { t } from '../i18n';
import type { Ask } from './ask';
import { copyText } from './browser-bits';
import { LinkDelivery } from './link-delivery.svelte';
import { LinkDraft, type LinkSubject } from './link-draft.svelte';
import { LinkShares } from './link-shares.svelte';
import type { Nav, Screen } from './nav.svelte';
import type { Notice } from './notice.svelte';
import { PickupSave } from './pickup-save.svelte';

export class LinkFlows {
  draft = $state.raw<LinkDraft | null>(null);
  delivery = $state.raw<LinkDelivery | null>(null);
  /** The entries of the page the right-click menu was used on, to pick one from. */
  candidates = $state.raw<LinkSubject[]>([]);
  candidatesError = $state('');
  readonly shares: LinkShares;
  readonly pickup: PickupSave;
  readonly #ask: Ask;
  readonly #nav: Nav;
  readonly #notice: Notice;

  constructor(ask: Ask, nav: Nav, notice: Notice) {
    this.#ask = ask;
    this.#nav = nav;
    this.#notice = notice;
    this.shares = new LinkShares(ask, notice);
    this.pickup = new PickupSave(ask);
  }

  /** Opens the link dialog for these entries; Esc leads back to `from`. */
  start(entries: LinkSubject[], from: Screen = { name: 'list' }): void {
    if (entries.length === 0) return;
    this.draft = new LinkDraft(this.#ask, entries);
    this.delivery = null;
    this.#nav.go({ name: 'link', from });
  }

  async create(): Promise<void> {
    const draft = this.draft;
    if (!draft || !(await draft.submit()) || !draft.created) return;
    this.delivery = new LinkDelivery(this.#ask, draft.created);
    this.#nav.go({ name: 'link-created' });
  }

  async copy(url: string): Promise<void> {
    const out = await copyText(url);
    this.#notice.show(out.ok ? t('linkCopied') : out.message, out.ok ? 'info' : 'error');
  }

  /** From the right-click menu: the entries saved for that page's site (the popup's own matching). */
  async fromPage(pageUrl: string): Promise<void> {
    this.candidatesError = '';
    const reply = await this.#ask('vault.query', { query: '', folder: null, tag: null, pageUrl, offset: 0, limit: 50 });
    if (!reply.ok) {
      this.candidatesError = reply.message;
      this.#nav.go({ name: 'link-pick' });
      return;
    }
    this.candidates = reply.value.rows.filter((r) => r.site).map((r) => ({ id: r.id, title: r.title }));
    if (this.candidates.length === 1) this.start(this.candidates, { name: 'list' });
    else this.#nav.go({ name: 'link-pick' });
  }

  /** Leaving the link screens drops the draft, the link and its PIN. */
  forget(): void {
    this.draft = null;
    this.delivery = null;
    this.candidates = [];
  }
}
