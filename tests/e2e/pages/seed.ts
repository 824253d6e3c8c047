// Page object for seeding a vault and talking to the background as the popup does: it opens
// chrome-extension://<id>/popup.html and sends protocol messages from there (sender kind 'popup').
import type { BrowserContext, Page } from '@playwright/test';
import { emptyEntryFields, type EntryFields, type EntrySummary } from '../../../lib/model/entry';
import type { Envelope, MessageType, RequestOf, ResponseOf } from '../../../lib/messages/protocol';
import { launchDevice } from '../fixtures';

export const MASTER_PASSWORD = 'correct horse battery staple 42';

/**
 * What every extension page object offers on top of its own way of sending a protocol message
 * (Chromium here, Firefox in tests/e2e/firefox/harness.ts).
 */
export abstract class ProtocolClient {
  abstract send<T extends MessageType>(type: T, payload?: RequestOf<T>): Promise<Envelope<ResponseOf<T>>>;

  async call<T extends MessageType>(type: T, payload?: RequestOf<T>): Promise<ResponseOf<T>> {
    const reply = await this.send(type, payload);
    if (!reply) throw new Error(`${type}: no answer from the background`);
    if (!reply.ok) throw new Error(`${type}: ${reply.code} ${reply.message}`);
    return reply.value;
  }

  async createVault(password = MASTER_PASSWORD): Promise<void> {
    const status = await this.call('session.status');
    if (status.vault === 'none') await this.call('session.create', { password });
    else if (status.vault === 'locked') await this.call('session.unlock', { password });
  }

  async addEntry(fields: Omit<Partial<EntryFields>, 'autologin'> & { autologin?: Partial<EntryFields['autologin']> }): Promise<EntrySummary> {
    const base = emptyEntryFields();
    return this.call('vault.save', { fields: { ...base, ...fields, autologin: { ...base.autologin, ...fields.autologin } } });
  }
}

export class ExtensionPage extends ProtocolClient {
  private constructor(
    readonly page: Page,
    readonly extensionId: string,
  ) {
    super();
  }

  static async open(context: BrowserContext, extensionId: string): Promise<ExtensionPage> {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/popup.html`);
    return new ExtensionPage(page, extensionId);
  }

  /** Sends one protocol message from the popup page and returns its envelope. */
  async send<T extends MessageType>(type: T, payload?: RequestOf<T>): Promise<Envelope<ResponseOf<T>>> {
    return this.page.evaluate(
      ([type, payload]) => chrome.runtime.sendMessage({ latchkey: 1, type, payload }),
      [type, payload] as const,
    ) as Promise<Envelope<ResponseOf<T>>>;
  }

  /** The tab id of a page opened in the same context (by its URL). */
  async tabIdOf(url: string): Promise<number> {
    const id = await this.page.evaluate(async (url) => {
      const tabs = await chrome.tabs.query({});
      return tabs.find((t) => t.url === url || t.pendingUrl === url)?.id;
    }, url);
    if (id === undefined) throw new Error(`No tab at ${url}`);
    return id;
  }

  async badge(tabId: number): Promise<string> {
    return this.page.evaluate((tabId) => chrome.action.getBadgeText({ tabId }), tabId);
  }
}

/** A vault with the given entries, ready to fill; returns the extension page to send messages from. */
export async function seedVault(context: BrowserContext, extensionId: string, entries: Parameters<ExtensionPage['addEntry']>[0][]): Promise<{ ext: ExtensionPage; ids: string[] }> {
  const ext = await ExtensionPage.open(context, extensionId);
  await ext.createVault();
  const ids: string[] = [];
  for (const e of entries) ids.push((await ext.addEntry(e)).id);
  return { ext, ids };
}

/** A browser profile of its own with the extension (a device), and its page for talking to the background. */
export async function openDevice() {
  const launched = await launchDevice();
  return { ...launched, page: await ExtensionPage.open(launched.context, launched.extensionId) };
}
