// Saving entries from a pick-up page: offered when the active tab is one of this server's pick-up
// pages; the page's revealed entries are read only on the person's click, previewed, and saved
// into the folder they choose.
import { t } from '../i18n';
import type { PickupEntry } from '../messages/link-protocol';
import type { Ask } from './ask';
import { readPickup } from './browser-bits';

export class PickupSave {
  /** The active tab is a pick-up page of my server. */
  available = $state(false);
  entries = $state.raw<PickupEntry[]>([]);
  folder = $state('');
  error = $state('');
  busy = $state(false);
  saved = $state(0);
  readonly #ask: Ask;
  readonly #read: (tabId: number) => Promise<unknown>;
  #tabId: number | undefined;

  constructor(ask: Ask, read: (tabId: number) => Promise<unknown> = readPickup) {
    this.#ask = ask;
    this.#read = read;
  }

  async check(tab: { id?: number; url?: string }): Promise<void> {
    this.#tabId = tab.id;
    if (tab.id === undefined || !tab.url) return;
    const reply = await this.#ask('links.isPickup', { url: tab.url });
    this.available = reply.ok && reply.value;
  }

  /** Reads what the page revealed (on the person's click only). False when there is nothing yet. */
  async read(): Promise<boolean> {
    this.error = '';
    this.saved = 0;
    let found: unknown = null;
    try {
      if (this.#tabId !== undefined) found = await this.#read(this.#tabId);
    } catch {
      found = null;
    }
    const entries = (found as { v?: unknown; entries?: unknown } | null)?.entries;
    if ((found as { v?: unknown } | null)?.v !== 1 || !Array.isArray(entries) || entries.length === 0) {
      this.entries = [];
      this.error = t('pickupNothingYet');
      return false;
    }
    this.entries = entries as PickupEntry[];
    return true;
  }

  async save(): Promise<boolean> {
    this.busy = true;
    this.error = '';
    try {
      const reply = await this.#ask('links.saveShared', { entries: this.entries, folder: this.folder });
      if (!reply.ok) {
        this.error = reply.message;
        return false;
      }
      this.saved = reply.value.saved;
      return true;
    } finally {
      this.busy = false;
    }
  }
}
