// Page object for the popup, opened as a tab at chrome-extension://<id>/popup.html (the same page
// the toolbar opens, at the popup's 360 px width).
import { expect, type BrowserContext, type Locator, type Page } from '@playwright/test';

export interface EntryInput {
  title?: string;
  username?: string;
  password?: string;
  urls?: string[];
  notes?: string;
  /** Comma-separated, as typed. */
  tags?: string;
  folder?: string;
  autologin?: boolean;
  autoSubmit?: boolean;
  match?: 'host' | 'domain';
}

/** Argon2id at full strength, on a busy CI machine. */
const UNLOCK_TIMEOUT = 30_000;

export class PopupPage {
  readonly search: Locator;
  readonly rows: Locator;
  readonly toast: Locator;
  readonly entryCount: Locator;

  constructor(
    readonly page: Page,
    readonly extensionId: string,
  ) {
    this.search = page.getByRole('combobox', { name: 'Search entries' });
    this.rows = page.getByRole('grid', { name: 'Entries' }).getByRole('row');
    this.toast = page.locator('.toast');
    this.entryCount = page.getByTestId('entry-count');
  }

  static async open(context: BrowserContext, extensionId: string): Promise<PopupPage> {
    const page = await context.newPage();
    await page.setViewportSize({ width: 360, height: 600 });
    const popup = new PopupPage(page, extensionId);
    await popup.goto();
    return popup;
  }

  /**
   * The popup as the toolbar opens it over the tab showing `tabUrl`: opened here as a tab of its
   * own, it is told that tab is the active one (its only query for "the active tab").
   */
  static async openOver(context: BrowserContext, extensionId: string, tabUrl: string): Promise<PopupPage> {
    const page = await context.newPage();
    await page.setViewportSize({ width: 360, height: 600 });
    await page.addInitScript((tabUrl) => {
      const tabs = chrome.tabs;
      const query = tabs.query.bind(tabs) as (q: chrome.tabs.QueryInfo) => Promise<chrome.tabs.Tab[]>;
      tabs.query = ((q: chrome.tabs.QueryInfo) => (q.active ? query({}).then((all) => all.filter((t) => t.url === tabUrl)) : query(q))) as typeof tabs.query;
    }, tabUrl);
    const popup = new PopupPage(page, extensionId);
    await popup.goto();
    return popup;
  }

  get url(): string {
    return `chrome-extension://${this.extensionId}/popup.html`;
  }

  /** Opens the popup afresh, as clicking the toolbar button does. */
  async goto(): Promise<void> {
    await this.page.goto(this.url);
  }

  row(title: string): Locator {
    return this.rows.filter({ has: this.page.locator('.title', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) });
  }

  async createVault(password: string): Promise<void> {
    await this.page.getByLabel('Master password').fill(password);
    await this.page.getByLabel('Type it again').fill(password);
    await this.page.getByRole('button', { name: 'Create vault' }).click();
    await expect(this.search).toBeVisible({ timeout: UNLOCK_TIMEOUT });
  }

  async submitUnlock(password: string): Promise<void> {
    await this.page.getByLabel('Master password').fill(password);
    await this.page.getByRole('button', { name: 'Unlock' }).click();
  }

  async unlock(password: string): Promise<void> {
    await this.submitUnlock(password);
    await expect(this.search).toBeVisible({ timeout: UNLOCK_TIMEOUT });
  }

  async lock(): Promise<void> {
    await this.page.getByRole('button', { name: 'Lock' }).click();
    await expect(this.page.getByRole('heading', { name: 'Unlock Latchkey' })).toBeVisible();
  }

  async searchFor(text: string): Promise<void> {
    await this.search.fill(text);
  }

  /** Waits until the list shows exactly these titles, top to bottom (searches are round trips). */
  async expectTitles(titles: string[]): Promise<void> {
    if (titles.length === 0) await expect(this.rows).toHaveCount(0);
    else await expect(this.rows.locator('.title')).toHaveText(titles);
  }

  async fillEntryForm(e: EntryInput): Promise<void> {
    const p = this.page;
    if (e.title !== undefined) await p.getByLabel('Title', { exact: true }).fill(e.title);
    if (e.username !== undefined) await p.getByLabel('Username', { exact: true }).fill(e.username);
    if (e.password !== undefined) await p.locator('#entry-password').fill(e.password);
    if (e.urls) {
      for (let i = 0; i < e.urls.length; i++) {
        if (i > 0 && !(await p.locator(`#entry-url-${i}`).count())) await p.getByRole('button', { name: '+ Add another address' }).click();
        await p.locator(`#entry-url-${i}`).fill(e.urls[i]!);
      }
    }
    if (e.notes !== undefined) await p.getByLabel('Notes').fill(e.notes);
    if (e.tags !== undefined) await p.getByLabel('Tags').fill(e.tags);
    if (e.folder !== undefined) await p.getByLabel('Folder').fill(e.folder);
    if (e.autologin !== undefined) await p.getByLabel('Log in automatically on this site').setChecked(e.autologin);
    if (e.autoSubmit !== undefined) await p.getByLabel('Submit the form after filling').setChecked(e.autoSubmit);
    if (e.match === 'domain') await p.getByLabel('Any page of the same registered domain').check();
    if (e.match === 'host') await p.getByLabel('Exact host only (safest)').check();
  }

  async saveForm(): Promise<void> {
    await this.page.getByRole('button', { name: 'Save' }).click();
  }

  /** Adds an entry from the list and comes back to the list. */
  async addEntry(e: EntryInput): Promise<void> {
    await this.page.getByRole('button', { name: 'New entry' }).click();
    await this.fillEntryForm(e);
    await this.saveForm();
    await expect(this.page.getByRole('heading', { name: e.title })).toBeVisible();
    await this.backToList();
  }

  async openEntry(title: string): Promise<void> {
    await this.row(title).click();
    await expect(this.page.getByRole('heading', { name: title })).toBeVisible();
    await expect(this.page.getByTestId('view-password')).toBeVisible();
  }

  async backToList(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await expect(this.search).toBeVisible();
  }

  async editOpenEntry(changes: EntryInput): Promise<void> {
    await this.page.getByTestId('edit-entry').click();
    await this.fillEntryForm(changes);
    await this.saveForm();
    await expect(this.page.getByTestId('view-password')).toBeVisible();
  }

  async deleteOpenEntry(): Promise<void> {
    await this.page.getByRole('button', { name: 'Delete' }).click();
    const dialog = this.page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect(this.search).toBeVisible();
  }

  /** The values the entry screen shows. */
  async viewed(): Promise<{ username: string; password: string }> {
    await expect(this.page.getByTestId('view-password')).toBeVisible();
    const button = this.page.getByRole('button', { name: 'Show password' });
    if (await button.count()) await button.click();
    return {
      username: await this.page.getByTestId('view-username').innerText(),
      password: await this.page.getByTestId('view-password').innerText(),
    };
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Every record of every IndexedDB database of the page's origin, as JSON (binary as base64), plus
 * every binary value decoded as UTF-8 text, so plaintext stored as bytes is found too.
 */
export async function dumpIndexedDb(page: Page): Promise<{ json: string; binaryText: string; records: number }> {
  return page.evaluate(async () => {
    const texts: string[] = [];
    let records = 0;
    const decoder = new TextDecoder('utf-8', { fatal: false });
    const plain = (v: unknown): unknown => {
      if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
        const bytes = v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
        texts.push(decoder.decode(bytes));
        let s = '';
        for (const b of bytes) s += String.fromCharCode(b);
        return { base64: btoa(s) };
      }
      if (v instanceof Blob) return { blob: v.size };
      if (Array.isArray(v)) return v.map(plain);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
      return v;
    };
    const request = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const out: Record<string, unknown> = {};
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const db = await request(indexedDB.open(name));
      for (const store of Array.from(db.objectStoreNames)) {
        const rows = await request(db.transaction(store, 'readonly').objectStore(store).getAll());
        records += rows.length;
        out[`${name}/${store}`] = plain(rows);
      }
      db.close();
    }
    return { json: JSON.stringify(out), binaryText: texts.join('\n'), records };
  });
}
