// An entry's or a folder's Sharing screen: who is in the share (permission, granted by, accepted),
// and, for me as its creator or a member with grant, ticking sharing connections with a permission
// and an optional end date each. Saving sends the whole member list; the background signs, seals
// and rotates.
import { t } from '../i18n';
import type { PersonView } from '../messages/people-protocol';
import type { ShareMemberChoice, ShareMemberView, ShareRole, ShareView } from '../messages/share-protocol';
import type { Ask } from './ask';

export type ShareSubject = { kind: 'entry'; entryId: string; title: string } | { kind: 'folder'; folder: string };

/** One person on the screen: ticked or not, their permission and end date (YYYY-MM-DD, '' for none). */
export interface MemberDraft {
  userId: string;
  username: string;
  ticked: boolean;
  role: ShareRole;
  until: string;
  /** Their place in the share now, when they have one. */
  member?: ShareMemberView;
}

/** The end of the chosen local day: access lasts through the date a person picks. */
export function endOfDay(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const end = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1).getTime() - 1;
  return Number.isNaN(end) ? null : end;
}

/** A date as the date field wants it (local YYYY-MM-DD). */
export function dateField(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export class ShareEditor {
  readonly subject: ShareSubject;
  /** The share as it is now; null while it is not shared (or not loaded yet). */
  view = $state.raw<ShareView | null>(null);
  drafts = $state<MemberDraft[]>([]);
  loaded = $state(false);
  error = $state('');
  busy = $state(false);
  readonly #ask: Ask;
  /** My sharing connections, the people I can tick. */
  #connections: readonly PersonView[] = [];

  constructor(ask: Ask, subject: ShareSubject) {
    this.#ask = ask;
    this.subject = subject;
  }

  /** I may change members and permissions: it is not shared yet (so it is mine), or I hold grant. */
  get editable(): boolean {
    return this.loaded && (this.view === null || this.view.myRole === 'grant');
  }

  /** Current members I would remove by saving: their removal changes the share's key. */
  get removing(): MemberDraft[] {
    return this.drafts.filter((d) => d.member && !d.ticked);
  }

  async load(): Promise<void> {
    const s = this.subject;
    const [share, people] = await Promise.all([
      s.kind === 'entry' ? this.#ask('shares.forEntry', { entryId: s.entryId }) : this.#ask('shares.forFolder', { folder: s.folder }),
      this.#ask('people.overview'),
    ]);
    if (!share.ok) {
      this.error = share.message;
      return;
    }
    // Without the people list, the members are still shown; only new people cannot be ticked.
    if (!people.ok) this.error = people.message;
    else this.error = '';
    this.#connections = people.ok ? people.value.connections.filter((c) => c.kind === 'sharing') : [];
    this.#apply(share.value);
    this.loaded = true;
  }

  #apply(view: ShareView | null): void {
    this.view = view;
    const members = (view?.members ?? []).filter((m) => !m.me);
    const drafts: MemberDraft[] = members.map((m) => ({
      userId: m.userId,
      username: m.username,
      ticked: true,
      role: m.role,
      until: m.expiresAt === null ? '' : dateField(m.expiresAt),
      member: m,
    }));
    for (const c of this.#connections) {
      if (!drafts.some((d) => d.userId === c.userId)) drafts.push({ userId: c.userId, username: c.username, ticked: false, role: 'read', until: '' });
    }
    this.drafts = drafts;
  }

  /** The members to send, or a message saying what is wrong (nothing is sent then). */
  request(now = Date.now()): { members: ShareMemberChoice[] } | { error: string } {
    const members: ShareMemberChoice[] = [];
    for (const d of this.drafts) {
      if (!d.ticked) continue;
      const expiresAt = d.until === '' ? null : endOfDay(d.until);
      if (d.until !== '' && expiresAt === null) return { error: t('shareErrorBadDate', d.username) };
      if (expiresAt !== null && expiresAt <= now) return { error: t('shareErrorPastDate', d.username) };
      members.push({ userId: d.userId, role: d.role, expiresAt });
    }
    if (this.view === null && members.length === 0) return { error: t('shareErrorNoOne') };
    return { members };
  }

  /** Creates the share or sets its members; true when the background agreed. */
  async save(): Promise<boolean> {
    if (!this.editable || this.busy) return false;
    const req = this.request();
    if ('error' in req) {
      this.error = req.error;
      return false;
    }
    this.busy = true;
    try {
      const s = this.subject;
      const reply = this.view
        ? await this.#ask('shares.setMembers', { container: this.view.container, members: req.members })
        : await this.#ask('shares.create', s.kind === 'entry' ? { entryIds: [s.entryId], members: req.members } : { folder: s.folder, members: req.members });
      if (!reply.ok) {
        this.error = reply.message;
        return false;
      }
      this.error = '';
      this.#apply(reply.value);
      return true;
    } finally {
      this.busy = false;
    }
  }

  /** "Stop sharing" (the creator: it moves back into my vault) or "Leave" (a member). */
  async end(how: 'end' | 'leave'): Promise<boolean> {
    const view = this.view;
    if (!view || this.busy) return false;
    this.busy = true;
    try {
      const reply = await this.#ask(how === 'end' ? 'shares.end' : 'shares.leave', { container: view.container });
      if (!reply.ok) {
        this.error = reply.message;
        return false;
      }
      this.error = '';
      return true;
    } finally {
      this.busy = false;
    }
  }
}
