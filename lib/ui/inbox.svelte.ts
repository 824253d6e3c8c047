// The Messages screen's state: Inbox and Sent (newest first, unread marked), and the one message
// that is open, with saving its copies into a folder and deleting it.
import { t, tn } from '../i18n';
import type { MessageListItem, MessageView } from '../messages/message-protocol';
import type { Ask } from './ask';
import type { Notice } from './notice.svelte';
import { onPeopleChanged } from './people.svelte';

export class Inbox {
  box = $state<'in' | 'out'>('in');
  items = $state.raw<MessageListItem[]>([]);
  next = $state<string | null>(null);
  unread = $state(0);
  loaded = $state(false);
  error = $state('');
  open = $state.raw<MessageView | null>(null);
  openError = $state('');
  folder = $state('');
  busy = $state(false);
  readonly #ask: Ask;
  readonly #notice: Notice;

  constructor(ask: Ask, notice: Notice) {
    this.#ask = ask;
    this.#notice = notice;
  }

  async load(more = false): Promise<void> {
    const reply = await this.#ask('messages.list', { box: this.box, before: more ? this.next : null });
    this.loaded = true;
    if (!reply.ok) {
      this.error = reply.message;
      return;
    }
    this.error = '';
    this.items = more ? [...this.items, ...reply.value.messages] : reply.value.messages;
    this.next = reply.value.next;
    this.unread = reply.value.unread;
  }

  async show(box: 'in' | 'out'): Promise<void> {
    this.box = box;
    this.items = [];
    this.loaded = false;
    await this.load();
  }

  watch(): () => void {
    void this.load();
    return onPeopleChanged(() => void this.load());
  }

  async openMessage(id: string): Promise<void> {
    this.open = null;
    this.openError = '';
    this.folder = '';
    const reply = await this.#ask('messages.open', { id });
    if (!reply.ok) this.openError = reply.message;
    else this.open = reply.value;
  }

  async save(): Promise<boolean> {
    const m = this.open;
    if (!m?.verified) return false;
    this.busy = true;
    try {
      const reply = await this.#ask('messages.save', { id: m.id, folder: this.folder });
      if (!reply.ok) {
        this.#notice.show(reply.message, 'error');
        return false;
      }
      this.#notice.show(tn('messageSaved', reply.value.saved));
      return true;
    } finally {
      this.busy = false;
    }
  }

  async remove(id: string): Promise<boolean> {
    const reply = await this.#ask('messages.delete', { id });
    if (!reply.ok) {
      this.#notice.show(reply.message, 'error');
      return false;
    }
    this.#notice.show(t('messageDeleted'));
    this.open = null;
    await this.load();
    return true;
  }
}
