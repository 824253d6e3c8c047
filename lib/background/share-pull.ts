// The shares half of a pull: for each share in the directory, its offer noted, or its keys up to the
// current epoch verified (rosters chained from the last verified one, my grants checked against the
// keys I pinned) and stored before any of its records are read; a share gone from the directory is
// forgotten with its entries. A refusal stores nothing of that share and leaves its records unread.
import { AppError } from '../errors';
import type { PinnedKeys } from '../sharing/pins';
import { acceptShareKey, verifyRoster, type Me, type VerifiedRoster } from '../sharing/share-verify';
import type { ShareRow } from '../vault/db';
import type { RefusedRecord } from '../vault/repository';
import type { DirectoryHead, ShareApi, ShareDetails } from './share-api';
import type { ShareKeyring } from './share-keyring';

export interface SharePullDeps {
  keyring: ShareKeyring;
  /** My identity, opened for the one call that needs its private keys. */
  withMe<T>(use: (me: Me) => Promise<T> | T): Promise<T>;
  /** The keys I pinned for these people (connected ones are pinned on first sight). */
  pinsFor(userIds: string[]): Promise<Map<string, PinnedKeys>>;
  now(): number;
  /** A share refused: kept as a problem the popup shows (by the container's id). */
  refused(problem: RefusedRecord): Promise<void>;
  /** Its keys verified: a problem kept for it is over. */
  verified(container: string): Promise<void>;
}

export interface ShareDirectoryOutcome {
  /** Shares whose records can be read now (accepted, key of the current epoch here). */
  ready: Set<string>;
  /** Entries of shares that ended for me: deleted here. */
  forgotten: string[];
  /** Something of my shares or offers changed (the popup is told). */
  changed: boolean;
}

const roleOf = (head: DirectoryHead): ShareRow['role'] => (head.role === 'owner' ? 'grant' : head.role);

const rowOf = (head: DirectoryHead, details: ShareDetails, me: string, before: ShareRow | undefined, now: number): Omit<ShareRow, 'keys' | 'roster'> => ({
  container: head.id,
  epoch: head.epoch,
  role: roleOf(head),
  accepted: head.accepted !== false,
  rotationDue: head.rotationDue === true,
  ownerId: details.ownerId,
  members: details.members,
  ...(before?.folder !== undefined ? { folder: before.folder } : {}),
  ...(before?.considerChanging ? { considerChanging: before.considerChanging } : {}),
  offeredAt: before?.offeredAt ?? details.members.find((m) => m.userId === me)?.acceptedAt ?? now,
});

/**
 * The keys of every epoch after the last one verified here, verified in order; nothing is returned
 * (so nothing is stored) unless every one of them passes.
 */
export function verifiedKeys(details: ShareDetails, previous: VerifiedRoster | undefined, known: number, pins: Map<string, PinnedKeys>, me: Me) {
  const fresh: { epoch: number; key: Uint8Array }[] = [];
  const mine = new Map(details.myKeys.map((k) => [k.epoch, k]));
  // The chain starts at the first epoch I hold a key of, when I have nothing verified yet.
  const start = previous ? known + 1 : Math.min(...details.myKeys.map((k) => k.epoch));
  let roster = previous;
  for (const { epoch, roster: wire } of details.rosters) {
    if (epoch < start) continue;
    const key = mine.get(epoch);
    if (key) {
      const accepted = acceptShareKey({ roster: wire, grant: key.grant, sealedKey: key.sealedKey, previous: roster, pins, me });
      fresh.push({ epoch, key: accepted.shareKey });
      roster = accepted.roster;
    } else {
      roster = verifyRoster({ roster: wire, previous: roster, pins, me });
    }
  }
  return { fresh, roster };
}

export function createSharePull(deps: SharePullDeps) {
  const { keyring } = deps;

  /** Whether the share's records can be read now, and whether anything of it was stored. */
  async function ensureKeys(api: ShareApi, head: DirectoryHead, myUserId: string): Promise<{ ready: boolean; stored: boolean }> {
    const before = keyring.row(head.id);
    const known = keyring.knownEpoch(head.id);
    if (head.accepted === false) {
      if (before && !before.accepted) return { ready: false, stored: false };
      const details = await api.get({ container: head.id });
      await keyring.store(rowOf(head, details, myUserId, before, deps.now()), []);
      return { ready: false, stored: true };
    }
    if (known >= head.epoch && before) {
      const rotationDue = head.rotationDue === true;
      const role = roleOf(head);
      if (before.rotationDue === rotationDue && before.epoch === head.epoch && before.accepted && before.role === role) return { ready: true, stored: false };
      // A permission changed under the same key (shares.grant): the members say who has what now.
      const members = before.role === role ? before.members : (await api.get({ container: head.id })).members;
      await keyring.update(head.id, { rotationDue, epoch: head.epoch, accepted: true, role, members });
      return { ready: true, stored: true };
    }
    const details = await api.get({ container: head.id });
    if (details.myKeys.length === 0) return { ready: false, stored: false };
    const pins = await deps.pinsFor(details.members.map((m) => m.userId).filter((id) => id !== myUserId));
    try {
      const { fresh, roster } = await deps.withMe((me) => verifiedKeys(details, keyring.roster(head.id), known, pins, me));
      await keyring.store(rowOf({ ...head, epoch: details.epoch }, details, myUserId, before, deps.now()), fresh, roster);
      await deps.verified(head.id);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      await deps.refused({ id: head.id, problem: { code: e.code, message: e.message } });
      return { ready: false, stored: false };
    }
    return { ready: keyring.knownEpoch(head.id) >= head.epoch, stored: true };
  }

  /** Brings the shares of a (changed) directory in step; the personal container is left to the caller. */
  async function directory(api: ShareApi, heads: DirectoryHead[], myUserId: string): Promise<ShareDirectoryOutcome> {
    await keyring.ready();
    const ready = new Set<string>();
    const listed = new Set<string>();
    let changed = false;
    for (const head of heads) {
      if (head.kind !== 'share') continue;
      listed.add(head.id);
      const outcome = await ensureKeys(api, head, myUserId);
      if (outcome.ready) ready.add(head.id);
      if (outcome.stored) changed = true;
    }
    const forgotten: string[] = [];
    for (const r of keyring.rows()) {
      if (listed.has(r.container)) continue;
      forgotten.push(...(await keyring.forget(r.container)));
      changed = true;
    }
    return { ready, forgotten, changed };
  }

  return { directory };
}
