// Shares in the one sync path (sync-engine.ts): the keys of their records, what a changed directory
// means (share-pull.ts), the rotations due where I hold grant (share-rotate.ts), and dirty records
// of an ended epoch sealed anew before they are pushed.
import { AppError } from '../errors';
import type { PinnedKeys } from '../sharing/pins';
import type { Me } from '../sharing/share-verify';
import type { EntryRecord } from '../vault/db';
import type { VaultRepository } from '../vault/repository';
import { PERSONAL } from './entry-write';
import { shareApiOf } from './share-api';
import type { ShareKeyring } from './share-keyring';
import { createSharePull } from './share-pull';
import { createShareRotation } from './share-rotate';
import type { SharesInSync } from './sync-engine';

export interface ShareSyncDeps {
  keyring: ShareKeyring;
  repo: Pick<VaultRepository, 'allEntries' | 'applyRemote' | 'entriesById' | 'clearProblems'>;
  withMe<T>(use: (me: Me) => Promise<T> | T): Promise<T>;
  pinsFor(userIds: string[]): Promise<Map<string, PinnedKeys>>;
  now(): number;
  /** Tells open extension pages that shares or offers changed. */
  changed?: () => void;
}

export type ShareSync = SharesInSync & { rotation: ReturnType<typeof createShareRotation> };

export function createShareSync(deps: ShareSyncDeps): ShareSync {
  const { keyring, repo } = deps;
  const refused = (problem: { id: string; problem: { code: AppError['code']; message: string } }) => repo.applyRemote([], [], [problem]);
  const pull = createSharePull({ ...deps, refused, verified: (id) => repo.clearProblems([id]) });
  const rotation = createShareRotation(deps);

  return {
    rotation,
    keyFor: (container, epoch) => keyring.keyFor(container, epoch),
    ready: () => keyring.ready(),
    epochOf: (container) => keyring.knownEpoch(container),
    pending: () => keyring.rows().some((r) => r.accepted && keyring.knownEpoch(r.container) < r.epoch),
    isShare: (id) => keyring.row(id) !== undefined,
    async directory(client, heads, myUserId) {
      const outcome = await pull.directory(shareApiOf(client), heads, myUserId);
      if (outcome.changed) deps.changed?.();
      return outcome;
    },
    async afterPull(client, heads) {
      const changed: string[] = [];
      for (const head of heads) {
        const row = keyring.row(head.id);
        if (head.kind !== 'share' || !head.rotationDue || !row?.accepted || row.role !== 'grant') continue;
        try {
          changed.push(...(await rotation.rotate(shareApiOf(client), head.id)));
        } catch (e) {
          // Another member with grant may rotate it first; until someone does, writes wait.
          if (!(e instanceof AppError)) throw e;
          await refused({ id: head.id, problem: { code: e.code, message: e.message } });
        }
      }
      return changed;
    },
    async reseal(records) {
      const stale = new Map<string, Set<string>>();
      for (const r of records) {
        if (r.container === PERSONAL || r.deleted === 1) continue;
        if ((r.keyEpoch ?? 0) >= keyring.knownEpoch(r.container)) continue;
        const ids = stale.get(r.container) ?? new Set<string>();
        ids.add(r.id);
        stale.set(r.container, ids);
      }
      if (stale.size === 0) return records;
      const resealed = new Set<string>();
      for (const [container, ids] of stale) for (const id of await rotation.reencryptLocal(container, ids)) resealed.add(id);
      const fresh = await repo.entriesById([...resealed]);
      return records.map((r): EntryRecord => fresh.get(r.id) ?? r);
    },
  };
}
