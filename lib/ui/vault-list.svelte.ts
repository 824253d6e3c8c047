// The list as the popup shows it. The background filters and ranks all entries (vault.query); the
// popup holds only the rows around what is on screen, summaries without passwords.
import type { Facet, VaultListing, VaultQueryResult } from '../messages/protocol';
import type { SharedFilter, ShareFacets } from '../vault/share-filter';
import type { Ask } from './ask';
import { covers, isListKey, moveActive, rangeToFetch, type Span } from './list-window';

export type Row = VaultQueryResult['rows'][number];

/** Rows the list shows before it has measured itself. */
const FIRST_WINDOW: Span = { start: 0, end: 20 };

function sameFacets(a: readonly Facet[], b: readonly Facet[]): boolean {
  return a.length === b.length && a.every((f, i) => f.name === b[i]!.name && f.count === b[i]!.count);
}

const NO_SHARES: ShareFacets = { withMe: 0, byMe: 0, with: [] };

function sameShares(a: ShareFacets, b: ShareFacets): boolean {
  return a.withMe === b.withMe && a.byMe === b.byMe && sameFacets(a.with, b.with);
}

/** Whether the share filter still selects anything (its last entry may have left a share). */
function sharedLeft(filter: SharedFilter, facets: ShareFacets): boolean {
  if (filter.kind === 'withMe') return facets.withMe > 0;
  if (filter.kind === 'byMe') return facets.byMe > 0;
  return facets.with.some((f) => f.name === filter.userId);
}

function sameProblems(a: VaultListing['problems'], b: VaultListing['problems']): boolean {
  return a.length === b.length && a.every((p, i) => p.id === b[i]!.id && p.code === b[i]!.code && p.message === b[i]!.message);
}

export class VaultList {
  query = $state('');
  folder = $state<string | null>(null);
  tag = $state<string | null>(null);
  /** The quick filter over shares; null for none. */
  shared = $state.raw<SharedFilter | null>(null);
  /** Matching entries in all, and in the whole vault (the count the footer shows). */
  total = $state(0);
  vaultSize = $state(0);
  folders = $state.raw<Facet[]>([]);
  tags = $state.raw<Facet[]>([]);
  shares = $state.raw<ShareFacets>(NO_SHARES);
  problems = $state.raw<VaultListing['problems']>([]);
  /** The fetched rows: results[offset] .. results[offset + rows.length - 1]. */
  fetched = $state.raw<{ offset: number; rows: Row[] }>({ offset: 0, rows: [] });
  /** The first answer has arrived. */
  loaded = $state(false);
  error = $state('');
  /** Index into the results of the row the keyboard is on; -1 when there is none. */
  active = $state(0);

  #ask: Ask;
  #pageUrl: string | undefined;
  /**
   * Whether the page is the site its URL says (its document's own origin, asked separately): until
   * it is known, no row is marked as the site's, so neither "This site" nor Fill shows early.
   */
  #siteConfirmed = false;
  /** The last answer's rows as the background marked them. */
  #marked: Row[] = [];
  #visible: Span = FIRST_WINDOW;
  /** Requests are numbered; an answer older than one already shown is dropped. */
  #sent = 0;
  #shown = 0;

  constructor(ask: Ask) {
    this.#ask = ask;
  }

  setPage(pageUrl: string | undefined): void {
    this.#pageUrl = pageUrl;
    this.#siteConfirmed = false;
  }

  /**
   * The page's own origin is known: where it is the URL's, the site's rows are marked; where it is
   * not (a sandboxed document, an origin that could not be asked), the list is ranked for no page.
   */
  confirmSite(confirmed: boolean): Promise<void> | void {
    if (!confirmed) {
      this.#pageUrl = undefined;
      return this.#fetch();
    }
    this.#siteConfirmed = true;
    if (this.#marked.some((r) => r.site)) this.fetched = { offset: this.fetched.offset, rows: this.#marked };
  }

  row(index: number): Row | undefined {
    return this.fetched.rows[index - this.fetched.offset];
  }

  rowById(id: string): Row | undefined {
    return this.fetched.rows.find((r) => r.id === id);
  }

  activeRow(): Row | undefined {
    return this.row(this.active);
  }

  /** Asks again for what is on screen (after a save or delete, or on coming back to the list). */
  refresh(): Promise<void> {
    return this.#fetch();
  }

  setQuery(query: string): void {
    this.query = query;
    this.#filterChanged();
  }

  setFolder(folder: string | null): void {
    this.folder = folder;
    this.#filterChanged();
  }

  setTag(tag: string | null): void {
    this.tag = tag;
    this.#filterChanged();
  }

  setShared(shared: SharedFilter | null): void {
    this.shared = shared;
    this.#filterChanged();
  }

  /** The list reports the rows it renders; fetches them when they are not here yet. */
  show(window: Span): void {
    this.#visible = window;
    if (!covers(this.fetched.offset, this.fetched.rows.length, window, this.total)) void this.#fetch();
  }

  /** Moves the active row for a navigation key; false when the key is not one. */
  move(key: string, pageSize: number): boolean {
    if (!isListKey(key)) return false;
    this.active = moveActive(this.active, key, this.total, pageSize);
    return true;
  }

  clear(): void {
    this.#sent++;
    this.#shown = this.#sent;
    this.query = '';
    this.folder = this.tag = null;
    this.shared = null;
    this.shares = NO_SHARES;
    this.total = this.vaultSize = 0;
    this.folders = this.tags = this.problems = [];
    this.fetched = { offset: 0, rows: [] };
    this.loaded = false;
    this.active = 0;
    this.#visible = FIRST_WINDOW;
  }

  #filterChanged(): void {
    this.active = 0;
    this.#visible = { start: 0, end: this.#visible.end - this.#visible.start };
    void this.#fetch();
  }

  async #fetch(): Promise<void> {
    const id = ++this.#sent;
    const filtered = this.query.trim() !== '' || this.folder !== null || this.tag !== null || this.shared !== null;
    const { offset, limit } = rangeToFetch(this.#visible);
    const reply = await this.#ask('vault.query', { query: this.query, folder: this.folder, tag: this.tag, shared: this.shared, pageUrl: this.#pageUrl, offset, limit });
    if (id < this.#shown) return; // a newer answer is already on screen
    this.#shown = id;
    if (!reply.ok) {
      if (reply.code !== 'LOCKED') this.error = reply.message;
      return;
    }
    const r = reply.value;
    this.error = '';
    this.total = r.total;
    if (!filtered) this.vaultSize = r.total;
    // The same on almost every answer (they describe the vault, not the search): keeping the old
    // arrays spares the filters and notices a re-render on every keystroke.
    if (!sameFacets(this.folders, r.folders)) this.folders = r.folders;
    if (!sameFacets(this.tags, r.tags)) this.tags = r.tags;
    const shares = r.shares ?? NO_SHARES;
    if (!sameShares(this.shares, shares)) this.shares = shares;
    if (!sameProblems(this.problems, r.problems)) this.problems = r.problems;
    this.#marked = r.rows;
    this.fetched = { offset, rows: this.#siteConfirmed || !r.rows.some((row) => row.site) ? r.rows : r.rows.map((row) => (row.site ? { ...row, site: false } : row)) };
    this.active = r.total === 0 ? -1 : Math.min(Math.max(this.active, 0), r.total - 1);
    this.loaded = true;
    // A folder, tag or share filter with nothing left in it (its last entry was deleted) would hide everything.
    const gone = (this.folder !== null && !r.folders.some((f) => f.name === this.folder)) || (this.tag !== null && !r.tags.some((t) => t.name === this.tag));
    if (gone || (this.shared !== null && !sharedLeft(this.shared, shares))) {
      this.folder = this.tag = null;
      this.shared = null;
      void this.#fetch();
    }
  }
}
