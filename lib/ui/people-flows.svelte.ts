// The People and Messages screens' feature state: the people list, sending a copy, and the inbox.
// It receives what it needs (ask, nav, notice) from the popup.
import type { Ask } from './ask';
import { Inbox } from './inbox.svelte';
import type { LinkSubject } from './link-draft.svelte';
import type { Nav, Screen } from './nav.svelte';
import type { Notice } from './notice.svelte';
import { People } from './people.svelte';
import { SendCopy } from './send-copy.svelte';

export class PeopleFlows {
  readonly people: People;
  readonly inbox: Inbox;
  send = $state.raw<SendCopy | null>(null);
  readonly #ask: Ask;
  readonly #nav: Nav;

  constructor(ask: Ask, nav: Nav, notice: Notice) {
    this.#ask = ask;
    this.#nav = nav;
    this.people = new People(ask, notice);
    this.inbox = new Inbox(ask, notice);
  }

  /** Opens "Send a copy" for these entries (to `recipientId` if given); Esc leads back to `from`. */
  startSend(entries: LinkSubject[], from: Screen, recipientId = ''): void {
    if (entries.length === 0) return;
    this.send = new SendCopy(this.#ask, entries, recipientId);
    void this.people.load();
    this.#nav.go({ name: 'send', from });
  }

  forget(): void {
    this.send = null;
    this.inbox.open = null;
  }
}
