// The People screen's state: me, my connections, invitations both ways, and finding someone to
// invite. Refreshed live whenever the background says people changed (PEOPLE_CHANGED_EVENT).
import { browser } from 'wxt/browser';
import { t } from '../i18n';
import { PEOPLE_CHANGED_EVENT, type LookupResult, type PeopleOverview, type PersonView } from '../messages/people-protocol';
import type { Ask } from './ask';
import type { Notice } from './notice.svelte';

/** Listens for the background's "people changed" broadcast; returns the stop. */
export function onPeopleChanged(listener: () => void): () => void {
  const handler = (message: unknown) => {
    if ((message as { event?: string } | undefined)?.event === PEOPLE_CHANGED_EVENT) listener();
  };
  browser.runtime.onMessage.addListener(handler);
  return () => browser.runtime.onMessage.removeListener(handler);
}

export class People {
  overview = $state.raw<PeopleOverview | null>(null);
  error = $state('');
  busy = $state(false);
  /** The invite form. */
  query = $state('');
  found = $state.raw<LookupResult | null>(null);
  lookupError = $state('');
  readonly #ask: Ask;
  readonly #notice: Notice;

  constructor(ask: Ask, notice: Notice) {
    this.#ask = ask;
    this.#notice = notice;
  }

  person(userId: string): PersonView | undefined {
    return this.overview?.connections.find((c) => c.userId === userId);
  }

  async load(): Promise<void> {
    const reply = await this.#ask('people.overview');
    if (!reply.ok) {
      this.error = reply.message;
      return;
    }
    this.error = '';
    this.overview = reply.value;
  }

  watch(): () => void {
    void this.load();
    return onPeopleChanged(() => void this.load());
  }

  async lookup(): Promise<void> {
    this.found = null;
    this.lookupError = '';
    this.busy = true;
    try {
      const reply = await this.#ask('people.lookup', { query: this.query });
      if (!reply.ok) this.lookupError = reply.message;
      else this.found = reply.value;
    } finally {
      this.busy = false;
    }
  }

  async invite(): Promise<void> {
    const found = this.found;
    if (!found || (found.found === 'user' && found.self) || (found.found === 'none' && !found.email)) return;
    const input = found.found === 'user' ? { userId: found.userId } : { email: this.query.trim() };
    const ok = await this.#act(() => this.#ask('people.invite', input), found.found === 'user' ? t('peopleInvited', found.username) : t('peopleInvitedEmail', this.query.trim()));
    if (ok) {
      this.query = '';
      this.found = null;
    }
  }

  /** Runs one action; says `done` on success, the error otherwise; reloads either way. */
  async #act(call: () => Promise<{ ok: boolean; message?: string }>, done: string): Promise<boolean> {
    this.busy = true;
    try {
      const reply = await call();
      if (!reply.ok) {
        this.#notice.show((reply as { message: string }).message, 'error');
        return false;
      }
      this.#notice.show(done);
      return true;
    } finally {
      this.busy = false;
      await this.load();
    }
  }

  accept = (id: string) => this.#act(() => this.#ask('people.acceptInvitation', { id }), t('peopleAccepted'));
  decline = (id: string) => this.#act(() => this.#ask('people.declineInvitation', { id }), t('peopleDeclined'));
  cancel = (id: string) => this.#act(() => this.#ask('people.cancelInvitation', { id }), t('peopleCancelled'));
  requestSharing = (userId: string) => this.#act(() => this.#ask('people.requestSharing', { userId }), t('peopleSharingRequested'));
  acceptSharing = (userId: string) => this.#act(() => this.#ask('people.acceptSharing', { userId }), t('peopleSharingStarted'));
  stopSharing = (userId: string) => this.#act(() => this.#ask('people.stopSharing', { userId }), t('peopleSharingStopped'));
  remove = (userId: string) => this.#act(() => this.#ask('people.remove', { userId }), t('peopleRemoved'));
  markVerified = (userId: string) => this.#act(() => this.#ask('people.markVerified', { userId }), t('peopleVerifiedDone'));
  acceptKey = (userId: string) => this.#act(() => this.#ask('people.acceptKey', { userId }), t('peopleKeyAccepted'));
}
