// The trash screen's state: the entries in the trash (summaries, never a password), and restoring
// or deleting one for good through the background.
import { t } from '../i18n';
import type { TrashedEntry } from '../messages/trash-protocol';
import type { Ask } from './ask';
import type { Notice } from './notice.svelte';

export class Trash {
  entries = $state.raw<TrashedEntry[] | null>(null);
  error = $state('');
  readonly #ask: Ask;
  readonly #notice: Notice;

  constructor(ask: Ask, notice: Notice) {
    this.#ask = ask;
    this.#notice = notice;
  }

  async load(): Promise<void> {
    const reply = await this.#ask('trash.list');
    if (reply.ok) {
      this.entries = reply.value;
      this.error = '';
    } else if (reply.code !== 'LOCKED') {
      this.error = reply.message;
    }
  }

  async restore(entry: TrashedEntry): Promise<void> {
    const reply = await this.#ask('trash.restore', { id: entry.id });
    if (!reply.ok) return this.#notice.show(reply.message, 'error');
    this.#notice.show(t('trashRestored', entry.title || t('entryUntitled')));
    await this.load();
  }

  async deleteForGood(entry: TrashedEntry): Promise<void> {
    const reply = await this.#ask('trash.deleteForGood', { id: entry.id });
    if (!reply.ok) return this.#notice.show(reply.message, 'error');
    this.#notice.show(t('trashDeletedForGood', entry.title || t('entryUntitled')));
    await this.load();
  }
}
