// The records half of sync, over every container the account can read (CONTAINERS-API.md): one
// call asks whether anything moved since the watermark and, when it did, lists the containers;
// each container that moved is pulled from its own cursor (container-sync.ts); local changes are
// pushed per container. Shares go the same way once their keys are verified (share-pull.ts).
import { AppError } from '../errors';
import type { ApiClient } from '../api/client';
import type { EntryRecord, SyncRecord } from '../vault/db';
import { acceptRemoteRecord, revisionFloor } from '../vault/remote-record';
import type { VaultRepository } from '../vault/repository';
import { createContainerSync, type SyncContainer } from './container-sync';
import { containerIds, containersToPull, PERSONAL } from './sync-directory';
import { personalKeys, type ContainerKeys } from './container-keys';
import type { DirectoryHead } from './share-api';
import type { SessionService } from './types';
import { t } from '../i18n';

/** What sync needs of shares (share-sync.ts): their keys, and what a changed directory means for them. */
export interface SharesInSync extends ContainerKeys {
  /** A share's current epoch as this device knows it. */
  epochOf(container: string): number;
  /** Verifies and stores the keys of a changed directory's shares; returns those ready to read, and entries of shares that ended. */
  directory(client: ApiClient, heads: DirectoryHead[], myUserId: string): Promise<{ ready: Set<string>; forgotten: string[] }>;
  /** After the records are in: rotates the shares due for it where I hold grant; returns the entries re-sealed. */
  afterPull(client: ApiClient, heads: DirectoryHead[]): Promise<string[]>;
  /** Seals dirty records of an ended epoch under the share's current key before they are pushed. */
  reseal(records: EntryRecord[]): Promise<EntryRecord[]>;
  /** An accepted share waits for a key (refused, or not fetched yet): the next pull reads the whole directory again. */
  pending(): boolean;
  /** The id is a share's (its refusal is kept as a problem by that id, not retried as a record). */
  isShare(id: string): boolean;
}

/** The server's limit on ids per vault.records call. */
const MAX_RECORDS_BY_ID = 100;

export interface SyncEngineDeps {
  repo: VaultRepository;
  session: SessionService;
  now: () => number;
  /** The connected client, or undefined while signed out or offline. */
  client(): ApiClient | undefined;
  /** Re-reads changed entries into the unlocked vault (without scheduling another sync). */
  refresh(ids: string[]): Promise<void>;
  /** Shares; without them only the personal vault is read (and shares' records wait, cursors unmoved). */
  shares?: SharesInSync;
}

export interface SyncEngine {
  /** Pulls every change after the watermark. */
  pull(): Promise<void>;
  /** Pushes every local change; returns how many the server took and whether it asked for another round. */
  push(): Promise<{ pushed: number; again: boolean }>;
  /** One record straight from the server, checked and stored as a pull would. */
  fetchRecord(id: string): Promise<EntryRecord | undefined>;
}

export function createSyncEngine(deps: SyncEngineDeps): SyncEngine {
  const { repo, session, now } = deps;
  const containers = createContainerSync({ repo, now, refresh: deps.refresh, personalKey: () => session.userKey() });
  const keys: ContainerKeys = deps.shares ?? personalKeys(session);
  /** Each container's key epoch as the last directory listed it: what writes are made under without a keyring. */
  const epochs = new Map<string, number>();
  /** The epoch a refused write last named, per container: one more round for each new one, not forever. */
  const staleSeen = new Map<string, number>();

  /** A container of this device's entries (by its local label), as sync sends it to the server. */
  function containerOf(meta: SyncRecord, local: string): SyncContainer {
    const id = containerIds(meta.userId).toServer(local);
    return { id, label: local, keyFor: (epoch) => keys.keyFor(local, epoch), epoch: local === PERSONAL ? 0 : deps.shares ? deps.shares.epochOf(local) : (epochs.get(id) ?? 0) };
  }

  /**
   * Records refused before (one that did not open, a version this device cannot read yet) are
   * asked for again by id: the cursor has moved past them, and a later version is not the only way
   * they can come right. Each keeps its problem, shown to the person, until it applies.
   */
  async function retryRefused(client: ApiClient, personal: SyncContainer): Promise<string[]> {
    const ids = (await repo.refusedRecords()).map((r) => r.id).filter((id) => !deps.shares?.isShare(id));
    const changed: string[] = [];
    for (let i = 0; i < ids.length; i += MAX_RECORDS_BY_ID) {
      const chunk = ids.slice(i, i + MAX_RECORDS_BY_ID);
      const { records } = await client.vault.records.query({ container: personal.id, ids: chunk });
      const found = new Map(records.map((r) => [r.id, r]));
      // Nothing left on the server to retry: a deletion applies (or already has) as usual.
      await repo.clearProblems(chunk.filter((id) => !found.has(id) || found.get(id)!.deleted));
      changed.push(...(await containers.apply(personal, records, false)).changed);
    }
    return changed;
  }

  async function pull(): Promise<void> {
    const client = deps.client();
    const start = await repo.sync();
    if (!start || !client) return;
    let meta: SyncRecord = start;
    const ids = containerIds(meta.userId);
    const changed: string[] = await retryRefused(client, containerOf(meta, PERSONAL));
    // A share still waiting for its key is tried again with every sync, not only when something moves.
    const directory = await client.vault.changes.query({ cursor: deps.shares?.pending() ? 0 : meta.cursor });
    const heads: DirectoryHead[] = directory.containers;
    for (const c of heads) epochs.set(c.id, c.epoch);
    let ready = new Set<string>();
    if (deps.shares && heads.length > 0) {
      const outcome = await deps.shares.directory(client, heads, meta.userId);
      ready = outcome.ready;
      changed.push(...outcome.forgotten);
      const cursors = Object.fromEntries(Object.entries(meta.cursors).filter(([id]) => id === meta.userId || heads.some((h) => h.id === id)));
      meta = { ...meta, cursors };
    }
    for (const head of containersToPull(heads, meta.cursors, ids, ready)) {
      const container = containerOf(meta, ids.toLocal(head.id));
      const store = async (cursor: number) => {
        meta = { ...meta, cursors: { ...meta.cursors, [head.id]: cursor }, lastSyncAt: now() };
        await repo.putSync(meta);
      };
      changed.push(...(await containers.pull(client, container, meta.cursors[head.id] ?? 0, store)));
    }
    if (deps.shares && heads.length > 0) changed.push(...(await deps.shares.afterPull(client, heads)));
    // Last: a pull cut off before here asks for the directory again and goes on from each cursor.
    meta = { ...meta, cursor: directory.cursor, lastSyncAt: now() };
    await repo.putSync(meta);
    if (changed.length > 0) await deps.refresh(changed);
  }

  async function push(): Promise<{ pushed: number; again: boolean }> {
    const client = deps.client();
    const meta = await repo.sync();
    if (!client || !meta) return { pushed: 0, again: false };
    const byContainer = new Map<string, EntryRecord[]>();
    const dirty = await repo.dirtyEntries();
    for (const record of deps.shares ? await deps.shares.reseal(dirty) : dirty) {
      const group = byContainer.get(record.container);
      if (group) group.push(record);
      else byContainer.set(record.container, [record]);
    }
    let pushed = 0;
    let again = false;
    for (const [local, dirty] of byContainer) {
      const container = containerOf(meta, local);
      const outcome = await containers.push(client, container, dirty);
      pushed += outcome.pushed;
      if (outcome.again) again = true;
      // A pull brings the new epoch in (and its key); one more round then writes under it. The
      // same refusal again asks for no further round, so sync never spins on it.
      if (outcome.staleEpoch !== undefined && staleSeen.get(container.id) !== outcome.staleEpoch) {
        staleSeen.set(container.id, outcome.staleEpoch);
        again = true;
      }
    }
    return { pushed, again };
  }

  async function fetchRecord(id: string): Promise<EntryRecord | undefined> {
    const notHere = () => new AppError('NETWORK', t('errorEntryNotDownloaded'), { subject: id });
    const client = deps.client();
    const meta = await repo.sync();
    if (!client || !meta) throw notHere();
    const personal = containerOf(meta, PERSONAL);
    const { records } = await client.vault.records.query({ container: personal.id, ids: [id] }).catch(() => {
      throw notHere();
    });
    const rec = records[0];
    if (!rec || rec.deleted) return undefined;
    const [locals, marks] = await Promise.all([repo.entriesById([id]), repo.marks([id])]);
    const { record } = acceptRemoteRecord(personal.keyFor(0), rec.data, id, revisionFloor(marks.get(id), locals.get(id)), PERSONAL);
    // Not awaited: the download's large writes may hold the store, and a write queued after this
    // one (an edit) still finds the record there.
    void repo.putRemoteIfAbsent({ id, record, serverRevision: rec.revision, base: undefined, dirty: false, seen: record.revision }).catch(() => undefined);
    return record;
  }

  return { pull, push, fetchRecord };
}
