// Rotating a share's key (a member removed, one who left, an end date passed): the next epoch
// signed by me for the members the server still lists (minus those I remove), stored through
// shares.rotate, and then every entry of the share on this device sealed anew with a fresh item
// key under the new key and left dirty, so the next push writes them under the new epoch.
import { AppError } from '../errors';
import { t } from '../i18n';
import type { PinnedKeys } from '../sharing/pins';
import { rotateShare, type NewMember } from '../sharing/share-epoch';
import { reencryptEntries } from '../sharing/share-reencrypt';
import type { Me } from '../sharing/share-verify';
import type { EntryRecord } from '../vault/db';
import { baseOf } from '../vault/record-writes';
import type { VaultRepository } from '../vault/repository';
import type { ShareApi } from './share-api';
import type { ShareKeyring } from './share-keyring';

export interface RotateDeps {
  keyring: ShareKeyring;
  repo: Pick<VaultRepository, 'allEntries' | 'applyRemote'>;
  withMe<T>(use: (me: Me) => Promise<T> | T): Promise<T>;
  pinsFor(userIds: string[]): Promise<Map<string, PinnedKeys>>;
  now(): number;
}

function newMember(userId: string, role: NewMember['role'], expiresAt: number | null, pins: Map<string, PinnedKeys>): NewMember {
  const pinned = pins.get(userId);
  if (!pinned) throw new AppError('NOT_FOUND', t('shareErrorNotConnected', userId), { subject: userId });
  return { userId, role, boxPublicKey: pinned.boxPublicKey, signingPublicKey: pinned.signingPublicKey, ...(expiresAt === null ? {} : { expiresAt }) };
}

export function createShareRotation(deps: RotateDeps) {
  const { keyring, repo } = deps;

  /** Seals this device's entries of the share (or only `only` of them) under its newest key; returns their ids. */
  async function reencryptLocal(container: string, only?: ReadonlySet<string>): Promise<string[]> {
    const epoch = keyring.knownEpoch(container);
    const newKey = keyring.keyFor(container, epoch);
    const records = ((await repo.allEntries()) as EntryRecord[]).filter(
      (r) => r.container === container && r.deleted !== 1 && (r.keyEpoch ?? 0) !== epoch && (!only || only.has(r.id)),
    );
    const writes = [];
    for (const r of records) {
      let fresh: EntryRecord;
      try {
        [fresh] = reencryptEntries(keyring.keyFor(container, r.keyEpoch ?? 0), newKey, [r]) as [EntryRecord];
      } catch {
        continue; // listed as a problem already; a later version from the server replaces it
      }
      writes.push({ id: r.id, record: { ...fresh, keyEpoch: epoch }, serverRevision: r.serverRevision ?? 0, base: baseOf(r), dirty: true });
    }
    await repo.applyRemote(writes);
    return writes.map((w) => w.id);
  }

  /**
   * The next epoch for the members the server lists now, without `remove`. Returns the ids of the
   * entries re-sealed (to refresh, and to flag for a password change when someone was removed).
   */
  async function rotate(api: ShareApi, container: string, remove: string[] = []): Promise<string[]> {
    const previous = keyring.roster(container);
    const row = keyring.row(container);
    if (!previous || !row) throw new AppError('NOT_FOUND', t('shareErrorGone'), { subject: container });
    const details = await api.get({ container });
    const gone = new Set(remove);
    const target = details.members.filter((m) => !gone.has(m.userId));
    const inRoster = new Map(previous.roster.members.map((m) => [m.userId, m]));
    const targetIds = new Set(target.map((m) => m.userId));
    const changed = (m: (typeof target)[number]) => {
      const r = inRoster.get(m.userId);
      return !r || r.role !== m.role || (r.expiresAt ?? null) !== m.expiresAt;
    };
    const pins = await deps.pinsFor(target.map((m) => m.userId));
    const issued = await deps.withMe((me) => {
      const others = target.filter((m) => m.userId !== me.userId);
      return rotateShare({
        previous,
        me,
        remove: previous.roster.members.filter((m) => m.userId !== me.userId && (!targetIds.has(m.userId) || changed(target.find((x) => x.userId === m.userId)!))).map((m) => m.userId),
        add: others.filter(changed).map((m) => newMember(m.userId, m.role, m.expiresAt, pins)),
        pins,
        now: deps.now(),
      });
    });
    const roles = new Map(issued.verified.roster.members.map((m) => [m.userId, m]));
    await api.rotate({
      container,
      fromEpoch: previous.roster.epoch,
      roster: issued.roster,
      keys: issued.keys.map((k) => {
        const m = roles.get(k.userId)!;
        return { ...k, role: m.role, ...(m.expiresAt === undefined ? {} : { expiresAt: m.expiresAt }) };
      }),
    });
    const members = target.map((m) => ({ ...m, role: roles.get(m.userId)?.role ?? m.role }));
    const { keys: _k, roster: _r, ...base } = row;
    await keyring.store({ ...base, epoch: issued.epoch, rotationDue: false, members }, [{ epoch: issued.epoch, key: issued.shareKey }], issued.verified);
    return reencryptLocal(container);
  }

  return { rotate, reencryptLocal };
}
