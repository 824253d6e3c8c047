// The popup's state and the actions its components dispatch. It asks the background for everything
// and keeps only the summaries of the rows around the screen, plus the one whole entry that is open
// (dropped on leaving it).
import { t, tn } from '../i18n';
import { send } from '../messages/client';
import type { Entry } from '../model/entry';
import { lockAware } from './ask';
import { Autofill } from './autofill.svelte';
import { pageShowsItsOrigin } from '../autofill/page-origin';
import { copyToClipboard, currentTab, openSiteBehind, topFrameOrigin } from './browser-bits';
import { displayHost, safeHref } from './format';
import { EntryEditor } from './entry-editor.svelte';
import { LinkFlows } from './link-flows.svelte';
import { PeopleFlows } from './people-flows.svelte';
import { Selection } from './selection.svelte';
import { ShareFlows } from './share-flows.svelte';
import { Nav } from './nav.svelte';
import { Notice } from './notice.svelte';
import { Session } from './session.svelte';
import { onSessionChanged } from './session-events';
import { onVaultChanged, touches } from './vault-events';
import type { VaultChange } from '../messages/protocol';
import { SyncStatus } from './sync-status.svelte';
import { VaultList } from './vault-list.svelte';

/** At most one session.touch per this many ms: enough to hold off the idle lock while in use. */
const TOUCH_EVERY_MS = 30_000;

export class Popup {
  readonly session = new Session();
  readonly nav = new Nav();
  readonly notice = new Notice();
  readonly ask = lockAware(() => this.#forget(true));
  readonly vault = new VaultList(this.ask);
  readonly autofill = new Autofill(this.ask, this.notice);
  readonly links = new LinkFlows(this.ask, this.nav, this.notice);
  /** People, sending copies, and the inbox. */
  readonly people = new PeopleFlows(this.ask, this.nav, this.notice);
  /** Sharing screens, offers waiting for me, and the list's "consider changing" advice. */
  readonly shares = new ShareFlows(this.ask, this.nav, this.notice, () => void this.vault.refresh());
  /** Entries chosen in the list for one link share. */
  readonly selection = new Selection();
  /** Where the vault syncs to, for the line at the bottom of the list. */
  readonly sync = new SyncStatus();
  /** Opened by the right-click menu's "Create link share" for this page (popup.html?share-page=…). */
  readonly sharePage = typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('share-page');
  /** The entry on the entry screen, password included. */
  entry = $state.raw<Entry | null>(null);
  entryError = $state('');
  editor = $state.raw<EntryEditor | null>(null);
  #lastTouch = 0;
  /** Listening from the start: a lock while the status is on its way is not missed. */
  readonly stopListening = onSessionChanged((vault) => this.sessionChanged(vault));
  readonly stopWatchingShares = this.shares.watch();
  readonly stopListeningToVault = onVaultChanged((change) => this.vaultChanged(change));

  /**
   * Status and the first rows in parallel: one round trip to a listed vault. (Asked while locked,
   * vault.query answers LOCKED, which changes nothing here: the session is still 'loading'.)
   */
  async start(): Promise<void> {
    const [status] = await Promise.all([
      send('session.status'),
      currentTab().then((tab) => {
        this.autofill.tabId = tab.id;
        this.vault.setPage(tab.url);
        void this.links.pickup.check(tab);
        // In parallel with the list: the page's real origin decides whether its entries are "this site".
        const origin = tab.id === undefined ? Promise.resolve(undefined) : topFrameOrigin(tab.id);
        return Promise.all([this.vault.refresh(), origin.then((o) => this.vault.confirmSite(pageShowsItsOrigin(o, tab.url)))]);
      }),
    ]);
    if (!status.ok) return this.session.unreachable(status.message);
    this.session.apply(status.value);
    if (status.value.vault === 'unlocked') await this.#opened();
    this.#lastTouch = Date.now();
  }

  /** The background's broadcast: the vault locked or unlocked, here or anywhere else. */
  sessionChanged(vault: 'locked' | 'unlocked'): void {
    if (vault === 'locked') this.#forget(true);
    else if (this.session.unlockedElsewhere()) void this.#opened();
  }

  /**
   * Entries changed, here or on another device: the list asks again for the rows on screen (its
   * scroll stays), the open entry is read again, and an open form on a changed entry says so.
   */
  vaultChanged(change: VaultChange): void {
    if (this.session.state !== 'unlocked') return;
    if (this.vault.loaded) void this.vault.refresh();
    if (this.entry && touches(change, this.entry.id)) void this.#reloadEntry(this.entry.id);
    const editing = this.editor?.id;
    if (change.remote && editing !== undefined && touches(change, editing)) void this.editor?.checkChangedElsewhere();
  }

  async #reloadEntry(id: string): Promise<void> {
    const reply = await this.ask('vault.get', { id });
    if (this.entry?.id !== id) return; // left meanwhile
    if (reply.ok) this.entry = reply.value;
    else if (reply.code === 'NOT_FOUND') {
      this.entry = null;
      this.entryError = reply.message;
    }
  }

  async create(password: string): Promise<void> {
    if (await this.session.create(password)) await this.#opened();
  }

  async unlock(password: string): Promise<void> {
    if (await this.session.unlock(password)) await this.#opened();
  }

  /** The answer to the save offer shown above the list. */
  async answerSaveOffer(action: 'save' | 'update' | 'dismiss'): Promise<void> {
    if (await this.autofill.answerSaveOffer(action)) await this.vault.refresh();
  }

  async #opened(): Promise<void> {
    await Promise.all([this.vault.loaded ? undefined : this.vault.refresh(), this.autofill.loadSaveOffer(), this.sync.load(), this.shares.offers.load()]);
    if (this.sharePage) await this.links.fromPage(this.sharePage);
  }

  async lock(): Promise<void> {
    await this.session.lock();
    this.#forget(false);
  }

  async openEntry(id: string): Promise<void> {
    this.nav.go({ name: 'entry', id });
    if (this.entry?.id === id) return;
    this.entry = null;
    this.entryError = '';
    const reply = await this.ask('vault.get', { id });
    const s = this.nav.screen;
    if (s.name !== 'entry' || s.id !== id) return; // the person moved on meanwhile
    if (reply.ok) this.entry = reply.value;
    else this.entryError = reply.message;
  }

  /** Opens the form: for the open entry, or empty for a new one (`title` prefilled). */
  editEntry(title?: string): void {
    this.editor = new EntryEditor(this.ask, this.entry ?? undefined, { title });
    this.nav.go({ name: 'edit', id: this.entry?.id });
  }

  /**
   * The health view's way to change a password: the site opens in a tab behind the popup, and the
   * entry's form opens with the generator.
   */
  async changePassword(id: string, url?: string): Promise<void> {
    const href = url ? safeHref(url) : undefined;
    const opened = href ? openSiteBehind(href) : Promise.resolve(false);
    const reply = await this.ask('vault.get', { id });
    if (!reply.ok) return this.notice.show(reply.message, 'error');
    this.entry = reply.value;
    this.editor = new EntryEditor(this.ask, reply.value, { generate: true, siteOpened: href && (await opened) ? displayHost(href) : undefined });
    this.nav.go({ name: 'edit', id });
  }

  /** The form for a new entry; `title` comes from a search that matched nothing ("Add …"). */
  newEntry(title?: string): void {
    this.entry = null;
    this.editEntry(title);
  }

  async save(): Promise<void> {
    const summary = await this.editor?.save();
    if (!summary) return;
    void this.vault.refresh();
    this.editor = null;
    this.entry = null;
    // A merge with a change from another device kept this save's version beside the entry too.
    this.notice.show(summary.conflictCopy ? t('popupSavedConflictCopy', summary.title) : t('popupSaved', summary.title));
    await this.openEntry(summary.id);
  }

  /** Delete: the entry goes to the trash (on every device) for 30 days; its link shares end now. */
  async moveToTrash(id: string): Promise<void> {
    const title = this.entry?.id === id ? this.entry.title : this.vault.rowById(id)?.title;
    const reply = await this.ask('trash.move', { id });
    if (!reply.ok) return this.notice.show(reply.message, 'error');
    void this.vault.refresh();
    this.editor = null;
    this.entry = null;
    this.nav.go({ name: 'list' });
    const moved = title ? t('popupTrashed', title) : t('popupTrashedUntitled');
    const ended = reply.value.linkSharesEnded;
    if (ended === null) this.notice.show(`${moved} ${t('popupTrashedLinksNotEnded')}`, 'error');
    else this.notice.show(ended > 0 ? `${moved} ${tn('popupTrashedLinksEnded', ended)}` : moved);
  }

  /** Esc: leave the form or entry; the open entry's password is dropped with it. */
  back(): void {
    const s = this.nav.screen;
    if (s.name === 'edit') this.editor = null;
    else if (s.name === 'send' || s.name === 'message') this.people.forget();
    else if (s.name === 'sharing') this.shares.forget();
    else if (s.name === 'link' && s.from.name === 'entry') this.links.forget(); // back to the open entry
    else {
      this.entry = null;
      this.links.forget();
    }
    this.nav.back();
  }

  async copy(id: string, field: 'username' | 'password'): Promise<void> {
    let text = this.entry?.id === id ? this.entry[field] : field === 'username' ? this.vault.rowById(id)?.username : undefined;
    if (text === undefined) {
      const reply = await this.ask('vault.get', { id });
      if (!reply.ok) return this.notice.show(reply.message, 'error');
      text = reply.value[field];
    }
    if (!text) return this.notice.show(field === 'username' ? t('popupNoUsername') : t('popupNoPassword'), 'error');
    await this.#copySecret(text, field);
  }

  /** One of the open entry's earlier passwords (its history), cleared from the clipboard like the password. */
  async copyOldPassword(password: string): Promise<void> {
    await this.#copySecret(password, 'old');
  }

  async #copySecret(text: string, field: 'username' | 'password' | 'old'): Promise<void> {
    const out = await copyToClipboard(text);
    if (!out.ok) return this.notice.show(out.message, 'error');
    const copied = field === 'username'
      ? out.cleared ? t('popupUsernameCopiedClears') : t('popupUsernameCopied')
      : field === 'old'
        ? out.cleared ? t('popupOldPasswordCopiedClears') : t('popupOldPasswordCopied')
        : out.cleared ? t('popupPasswordCopiedClears') : t('popupPasswordCopied');
    this.notice.show(copied);
  }

  /** Activity in the popup postpones the idle lock. */
  touch(): void {
    if (this.session.state !== 'unlocked' || Date.now() - this.#lastTouch < TOUCH_EVERY_MS) return;
    this.#lastTouch = Date.now();
    void send('session.touch');
  }

  #forget(lockedElsewhere: boolean): void {
    if (lockedElsewhere) {
      if (this.session.state !== 'unlocked') return; // still starting, or already locked
      this.session.lockedElsewhere();
      this.notice.show(t('popupLockedElsewhere'), 'error');
    }
    this.vault.clear();
    this.autofill.saveOffer = this.autofill.confirmation = null;
    this.entry = null;
    this.editor = null;
    this.links.forget();
    this.people.forget();
    this.shares.forget();
    this.shares.offers.forget();
    this.selection.stop();
    this.nav.go({ name: 'list' });
  }
}
