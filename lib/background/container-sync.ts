// One container's half of sync: pulls its records after its cursor, pushes its local changes with
// the revision they started from and its key epoch, and merges when both sides changed an entry.
// Every record from the server is checked before it is stored (lib/vault/remote-record.ts); one that
// is refused is kept as a problem the popup shows, naming the entry, until a good version replaces it.
import type { ApiClient } from '../api/client';
import type { EntryRecord } from '../vault/db';
import { openItemKey, openOverview } from '../vault/entry-crypto';
import { encodeRecord } from '../vault/record-codec';
import { resendAsNew, resolveConflict, type ServerRecord } from '../vault/conflict';
import { acceptRemoteRecord, refusedProblem, revisionFloor } from '../vault/remote-record';
import type { RefusedRecord, RemoteWrite, SyncAck, VaultRepository } from '../vault/repository';

/** Records per page of a container's changes (the server also stops a page at 4 MiB). */
const PAGE_LIMIT = 1000;
/** Stay well under the server's 1 MiB request limit. */
const MAX_BATCH_CHARS = 700 * 1024;
const MAX_BATCH_RECORDS = 500;

/** A container as sync sees it. */
export interface SyncContainer {
  /** Its id on the server. */
  id: string;
  /** Its name on this device, bound into its entries' associated data ('personal' or the share's id). */
  label: string;
  /** The key its entries' item keys are wrapped with under `epoch` (the user key for the personal vault). */
  keyFor(epoch: number): Uint8Array;
  /** The key epoch its writes are made under: always 0 for the personal vault. */
  epoch: number;
}

export interface ContainerSyncDeps {
  repo: VaultRepository;
  now: () => number;
  /** Re-reads changed entries into the unlocked vault (without scheduling another sync). */
  refresh(ids: string[]): Promise<void>;
  /** The user key: a conflict copy of a shared entry goes into my personal vault. */
  personalKey?: () => Uint8Array;
}

export interface PushOutcome {
  pushed: number;
  /** Something came back that the next round has to send again (a conflict merged, a record gone). */
  again: boolean;
  /** The container's current epoch, when the server refused writes made under an older one. */
  staleEpoch?: number;
}

export function createContainerSync(deps: ContainerSyncDeps) {
  const { repo, now } = deps;

  /** The entry's title on this device, to name it in a problem; its id if it cannot be read. */
  function nameOf(container: SyncContainer, local: EntryRecord | undefined): string | undefined {
    if (!local) return undefined;
    try {
      const key = container.keyFor(local.keyEpoch ?? 0);
      return openOverview(openItemKey(key, local), local).title || undefined;
    } catch {
      return undefined;
    }
  }

  /** Checks every record of a batch, merges conflicts, and stores the outcome in one transaction. */
  async function apply(container: SyncContainer, records: ServerRecord[], resolveAll: boolean): Promise<{ changed: string[]; refused: number }> {
    const ids = records.map((r) => r.id);
    const [locals, marks] = await Promise.all([repo.entriesById(ids), repo.marks(ids)]);
    const writes: RemoteWrite[] = [];
    const added: EntryRecord[] = [];
    const refused: RefusedRecord[] = [];
    const changed: string[] = [];
    const accept = (rec: ServerRecord, local: EntryRecord | undefined) => {
      const epoch = rec.keyEpoch ?? 0;
      const { record } = acceptRemoteRecord(container.keyFor(epoch), rec.data, rec.id, revisionFloor(marks.get(rec.id), local), container.label);
      return epoch === 0 ? record : { ...record, keyEpoch: epoch };
    };
    const refuse = (e: unknown, id: string, local: EntryRecord | undefined): RefusedRecord => ({ id, problem: refusedProblem(e, id, nameOf(container, local)) });
    for (const rec of records) {
      const local = locals.get(rec.id);
      // The entry moved to another container (shared, or moved back): this one's tombstone is not its end.
      if (local && local.container !== container.label) continue;
      if (local?.dirty === 1 && (resolveAll || rec.revision !== local.serverRevision)) {
        const r = resolveConflict(local, rec, {
          containerKey: container.keyFor(local.keyEpoch ?? 0),
          keyOf: (r) => container.keyFor(r.keyEpoch ?? 0),
          personal: deps.personalKey,
          now: now(),
          accept: (_data, l) => accept(rec, l),
          refuse: (e, l) => refuse(e, rec.id, l),
        });
        writes.push(r.write);
        if (r.copy) added.push(r.copy);
        if (r.refused) refused.push(r.refused);
        else changed.push(rec.id);
        continue;
      }
      if (local?.dirty === 1) continue;
      if (rec.deleted) {
        if (local) writes.push({ id: rec.id, record: null, serverRevision: rec.revision, base: undefined, dirty: false });
        changed.push(rec.id);
        continue;
      }
      try {
        const record = accept(rec, local);
        writes.push({ id: rec.id, record, serverRevision: rec.revision, base: undefined, dirty: false, seen: record.revision });
        changed.push(rec.id);
      } catch (e) {
        // Any failure of one record (not only a refusal) is kept as that record's problem, so the
        // others of the batch still apply; it is tried again on the next pull.
        refused.push(refuse(e, rec.id, local));
      }
    }
    await repo.applyRemote(writes, added, refused);
    changed.push(...added.map((r) => r.id));
    return { changed, refused: refused.length };
  }

  /**
   * Pages through the container's changes after `cursor`, applying each page and then storing the
   * cursor after it (`stored`), so a pull cut off goes on from the last page applied.
   */
  async function pull(client: ApiClient, container: SyncContainer, cursor: number, stored: (cursor: number) => Promise<void>): Promise<string[]> {
    const changed: string[] = [];
    for (;;) {
      const page = await client.vault.containerChanges.query({ container: container.id, cursor, limit: PAGE_LIMIT });
      changed.push(...(await apply(container, page.records, false)).changed);
      cursor = page.cursor;
      await stored(cursor);
      if (!page.more) return changed;
    }
  }

  /** Sends these local changes of the container, in batches the server takes in one request each. */
  async function push(client: ApiClient, container: SyncContainer, dirty: EntryRecord[]): Promise<PushOutcome> {
    const outcome: PushOutcome = { pushed: 0, again: false };
    let batch: { record: EntryRecord; data: string }[] = [];
    let chars = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const sent = batch;
      batch = [];
      chars = 0;
      const { results } = await client.vault.putMany.mutate({
        container: container.id,
        records: sent.map(({ record, data }) => ({
          id: record.id,
          baseRevision: record.serverRevision ?? 0,
          data: record.deleted === 1 ? '' : data,
          deleted: record.deleted === 1,
          keyEpoch: container.epoch,
        })),
      });
      const acks: SyncAck[] = [];
      const conflicts: ServerRecord[] = [];
      const gone: EntryRecord[] = [];
      for (const [i, r] of results.entries()) {
        const { record, data } = sent[i]!;
        if (r.status === 'ok') acks.push({ id: record.id, localRevision: record.revision, serverRevision: r.revision, sent: data, deleted: record.deleted === 1 });
        // Written under an epoch that has ended: the entry stays dirty until it is written anew
        // under the current one.
        else if (r.status === 'stale-epoch') outcome.staleEpoch = r.epoch;
        else if (r.current) conflicts.push(r.current);
        else gone.push(record);
      }
      // Acknowledged first, before anything below that can fail (the vault locking, a record that
      // will not open): an accepted write left dirty would be sent again as a conflict with itself,
      // and every device would download an extra revision of it.
      await repo.markSynced(acks);
      outcome.pushed += acks.length;
      if (gone.length > 0) {
        await repo.applyRemote(gone.map(resendAsNew));
        outcome.again = true;
      }
      if (conflicts.length > 0) {
        const { changed } = await apply(container, conflicts, true);
        outcome.again = true;
        if (changed.length > 0) await deps.refresh(changed);
      }
    };
    for (const record of dirty) {
      const data = record.deleted === 1 ? '' : encodeRecord(record);
      if (batch.length >= MAX_BATCH_RECORDS || chars + data.length > MAX_BATCH_CHARS) await flush();
      batch.push({ record, data });
      chars += data.length;
    }
    await flush();
    return outcome;
  }

  return { apply, pull, push };
}

export type ContainerSync = ReturnType<typeof createContainerSync>;
