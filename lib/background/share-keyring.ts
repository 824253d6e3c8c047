// The share keys of this device in memory while unlocked: read from the shares table (each wrapped
// with the user key) and opened once, so listing and sync open a shared entry as fast as a personal
// one. Verifying and storing new keys is share-pull.ts; this only keeps and hands them out.
import { AppError } from '../errors';
import { t } from '../i18n';
import type { EntryShareMark } from '../messages/share-protocol';
import { decodeRoster, encodeStatement, rosterHash } from '../sharing/share-statements';
import type { VerifiedRoster } from '../sharing/share-verify';
import type { ShareRow } from '../vault/db';
import type { VaultRepository } from '../vault/repository';
import { openRoster, sealRoster, unwrapShareKey, wrapShareKey } from '../vault/share-rows';
import type { ContainerKeys } from './container-keys';
import { PERSONAL } from './entry-write';
import type { SessionService } from './types';

export interface ShareKeyring extends ContainerKeys {
  row(container: string): ShareRow | undefined;
  rows(): ShareRow[];
  /** The newest epoch whose key is here (0: none). */
  knownEpoch(container: string): number;
  /** The last verified roster of a share, to verify its next epoch against. */
  roster(container: string): VerifiedRoster | undefined;
  /** Stores a share's row with new keys (and the roster they were verified with) in one write. */
  store(row: Omit<ShareRow, 'keys' | 'roster'>, keys: { epoch: number; key: Uint8Array }[], roster?: VerifiedRoster): Promise<void>;
  /** Changes what the row says (role, members, flags), keys and roster kept. */
  update(container: string, change: Partial<Omit<ShareRow, 'container' | 'keys' | 'roster'>>): Promise<void>;
  /** The share ended for me: its keys, row and entries go; returns the ids of those entries. */
  forget(container: string): Promise<string[]>;
  /** The mark an entry of this container carries in the list; undefined for the personal vault. */
  markFor(container: string, entryId: string, myUserId: string): EntryShareMark | undefined;
}

export function createShareKeyring(deps: { repo: Pick<VaultRepository, 'shares'>; session: SessionService }): ShareKeyring {
  const { repo, session } = deps;
  const rows = new Map<string, ShareRow>();
  const keys = new Map<string, Map<number, Uint8Array>>();
  const rosters = new Map<string, VerifiedRoster>();
  let loading: Promise<void> | undefined;

  function wipe(): void {
    for (const byEpoch of keys.values()) for (const k of byEpoch.values()) k.fill(0);
    keys.clear();
    rows.clear();
    rosters.clear();
    loading = undefined;
  }

  function take(row: ShareRow, userKey: Uint8Array): void {
    rows.set(row.container, row);
    const byEpoch = new Map<number, Uint8Array>();
    for (const k of row.keys) {
      try {
        byEpoch.set(k.epoch, unwrapShareKey(userKey, row.container, k.epoch, k.wrapped));
      } catch {
        // A key that does not open is as good as missing: the next pull asks the server again.
      }
    }
    keys.set(row.container, byEpoch);
    if (row.roster) {
      try {
        const roster = decodeRoster(openRoster(userKey, row.container, row.roster));
        rosters.set(row.container, { roster, hash: rosterHash(roster) });
      } catch {
        rosters.delete(row.container);
      }
    }
  }

  session.onLock(wipe);

  const keyring: ShareKeyring = {
    ready() {
      const userKey = session.userKey();
      loading ??= repo.shares.all().then((all) => {
        for (const row of all) take(row, userKey);
      });
      return loading;
    },
    keyFor(container, epoch) {
      if (container === PERSONAL) return session.userKey();
      const key = keys.get(container)?.get(epoch);
      if (!key) throw new AppError('NOT_FOUND', t('shareErrorNoKey'), { subject: container });
      return key;
    },
    row: (container) => rows.get(container),
    rows: () => [...rows.values()],
    knownEpoch(container) {
      const byEpoch = keys.get(container);
      return byEpoch && byEpoch.size > 0 ? Math.max(...byEpoch.keys()) : 0;
    },
    roster: (container) => rosters.get(container),
    async store(base, fresh, roster) {
      await keyring.ready();
      const userKey = session.userKey();
      const before = rows.get(base.container);
      const kept = (before?.keys ?? []).filter((k) => !fresh.some((f) => f.epoch === k.epoch));
      const row: ShareRow = {
        ...base,
        keys: [...kept, ...fresh.map((f) => ({ epoch: f.epoch, wrapped: wrapShareKey(userKey, base.container, f.epoch, f.key) }))],
        ...(roster ? { roster: sealRoster(userKey, base.container, encodeStatement(roster.roster)) } : before?.roster ? { roster: before.roster } : {}),
      };
      await repo.shares.put(row);
      take(row, userKey);
    },
    async update(container, change) {
      const row = rows.get(container);
      if (!row) throw new AppError('NOT_FOUND', t('shareErrorGone'), { subject: container });
      const next = { ...row, ...change };
      await repo.shares.put(next);
      rows.set(container, next);
    },
    async forget(container) {
      const ids = await repo.shares.forget(container);
      for (const k of keys.get(container)?.values() ?? []) k.fill(0);
      keys.delete(container);
      rows.delete(container);
      rosters.delete(container);
      return ids;
    },
    markFor(container, entryId, myUserId) {
      if (container === PERSONAL) return undefined;
      const row = rows.get(container);
      if (!row) return undefined;
      const owner = row.members.find((m) => m.userId === row.ownerId);
      return {
        container,
        byMe: row.ownerId === myUserId,
        sharedBy: owner?.username ?? '',
        role: row.role,
        with: row.members.filter((m) => m.userId !== myUserId).map((m) => m.userId),
        ...(row.role === 'grant' && row.considerChanging?.includes(entryId) ? { considerChanging: true } : {}),
      };
    },
  };
  return keyring;
}
