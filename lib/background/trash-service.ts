// The trash (issue 16): Delete moves an entry there (a sealed mark that syncs as an edit), it can be
// restored or deleted for good, and 30 days after it was trashed it is deleted for good here, on
// unlock and once a day while unlocked. Trashing ends the entry's link shares at once.
import type { WxtBrowser as Browser } from 'wxt/browser';
import { AppError } from '../errors';
import { t } from '../i18n';
import type { MessageRouter } from '../messages/router';
import type { TrashedEntry } from '../messages/trash-protocol';
import { trashExpired, trashExpiresAt } from '../vault/trash';
import type { SessionService, VaultService } from './types';

const TRASH_ALARM = 'latchkey-trash-expiry';
const DAY_MINUTES = 24 * 60;

export interface TrashDeps {
  router: MessageRouter;
  vault: VaultService;
  session: SessionService;
  /** For the daily expiry while unlocked; without it, entries expire on unlock only. */
  browser?: Pick<Browser, 'alarms'>;
  /** Ends every link share of these entries: how many were ended; throws when the server cannot be reached. */
  endLinks?: (entryIds: string[]) => Promise<number>;
  now?: () => number;
}

export interface TrashService {
  /** Deletes for good every entry trashed more than 30 days ago; how many. */
  purgeExpired(): Promise<number>;
}

export function createTrashService(deps: TrashDeps): TrashService {
  const { router, vault, session } = deps;
  const now = deps.now ?? (() => Date.now());

  async function list(): Promise<TrashedEntry[]> {
    const entries = (await vault.trashed()).flatMap((s) => (s.trashedAt === undefined ? [] : [{ ...s, trashedAt: s.trashedAt, expiresAt: trashExpiresAt(s.trashedAt) }]));
    return entries.sort((a, b) => b.trashedAt - a.trashedAt);
  }

  async function purgeExpired(): Promise<number> {
    if (session.state() !== 'unlocked') return 0;
    const at = now();
    let purged = 0;
    for (const s of await vault.trashed()) {
      if (s.trashedAt === undefined || !trashExpired(s.trashedAt, at)) continue;
      try {
        await vault.remove(s.id);
        purged++;
      } catch {
        // gone meanwhile (deleted on another device), or locked: the next run sees what is left
      }
    }
    return purged;
  }

  async function inTrash(id: string): Promise<void> {
    if (!(await vault.trashed()).some((s) => s.id === id)) throw new AppError('NOT_FOUND', t('errorTrashNotThere'), { subject: id });
  }

  router.on('trash.list', () => list());
  router.on('trash.move', async ({ id }) => {
    await vault.setTrashed(id, now());
    if (!deps.endLinks) return { linkSharesEnded: 0 };
    // Safer than waiting 30 days: a link to an entry someone deleted stops opening now.
    const linkSharesEnded = await deps.endLinks([id]).catch(() => null);
    return { linkSharesEnded };
  });
  router.on('trash.restore', async ({ id }) => {
    await inTrash(id);
    return vault.setTrashed(id, null);
  });
  router.on('trash.deleteForGood', async ({ id }) => {
    await inTrash(id);
    await vault.remove(id);
  });

  session.onUnlock(() => void purgeExpired().catch(() => undefined));
  if (deps.browser) {
    void Promise.resolve(deps.browser.alarms.create(TRASH_ALARM, { periodInMinutes: DAY_MINUTES })).catch(() => undefined);
    deps.browser.alarms.onAlarm.addListener((alarm: { name: string }) => {
      if (alarm.name === TRASH_ALARM) void purgeExpired().catch(() => undefined);
    });
  }

  return { purgeExpired };
}
