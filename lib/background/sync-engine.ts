// The records half of sync: pulls what changed after the cursor, pushes local changes with the
// revision they started from, and merges when both sides changed an entry. Every record from the
// server is checked before it is stored (lib/vault/remote-record.ts); one that is refused is kept
// as a problem the popup shows, naming the entry, until a good version replaces it.
import { AppError } from '../errors';
import type { ApiClient } from '../api/client';
import type { EntryRecord } from '../vault/db';
import { openItemKey, openOverview } from '../vault/entry-crypto';
import { encodeRecord } from '../vault/record-codec';
import { resendAsNew, resolveConflict, type ServerRecord } from '../vault/conflict';
import { acceptRemoteRecord, refusedProblem, revisionFloor } from '../vault/remote-record';
import type { RefusedRecord, RemoteWrite, SyncAck, VaultRepository } from '../vault/repository';
import type { SessionService } from './types';
import { t } from '../i18n';

/** The server's limit on ids per vault.records call. */
const MAX_RECORDS_BY_ID = 100;
/** Stay well under the server's 1 MiB request limit. */
const MAX_BATCH_CHARS = 700 * 1024;
const MAX_BATCH_RECORDS = 500;

export interface SyncEngineDeps {
  repo: VaultRepository;
  session: SessionService;
  now: () => number;
  /** The connected client, or undefined while signed out or offline. */
  client(): ApiClient | undefined;
  /** Re-reads changed entries into the unlocked vault (without scheduling another sync). */
  refresh(ids: string[]): Promise<void>;
}

export interface SyncEngine {
  /** Pulls every change after the cursor. */
  pull(): Promise<void>;
  /** Pushes every local change; returns how many the server took and whether it asked for another round. */
  push(): Promise<{ pushed: number; again: boolean }>;
  /** One record straight from the server, checked and stored as a pull would. */
  fetchRecord(id: string): Promise<EntryRecord | undefined>;
}

export function createSyncEngine(deps: SyncEngineDeps): SyncEngine {
  const { repo, session, now } = deps;

  /** The entry's title on this device, to name it in a problem; its id if it cannot be read. */
  function nameOf(local: EntryRecord | undefined): string | undefined {
    if (!local) return undefined;
    try {
      return openOverview(openItemKey(session.userKey(), local), local).title || undefined;
    } catch {
      return undefined;
    }
  }

  /** Checks every record of a batch, merges conflicts, and stores the outcome in one transaction. */
  async function apply(records: ServerRecord[], resolveAll: boolean): Promise<{ changed: string[]; refused: number }> {
    const ids = records.map((r) => r.id);
    const [locals, marks] = await Promise.all([repo.entriesById(ids), repo.marks(ids)]);
    const key = session.userKey();
    const writes: RemoteWrite[] = [];
    const added: EntryRecord[] = [];
    const refused: RefusedRecord[] = [];
    const changed: string[] = [];
    const accept = (data: string, id: string, local: EntryRecord | undefined) => acceptRemoteRecord(key, data, id, revisionFloor(marks.get(id), local)).record;
    const refuse = (e: unknown, id: string, local: EntryRecord | undefined): RefusedRecord => ({ id, problem: refusedProblem(e, id, nameOf(local)) });
    for (const rec of records) {
      const local = locals.get(rec.id);
      if (local?.dirty === 1 && (resolveAll || rec.revision !== local.serverRevision)) {
        const r = resolveConflict(local, rec, { containerKey: key, now: now(), accept: (data, l) => accept(data, rec.id, l), refuse: (e, l) => refuse(e, rec.id, l) });
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
        const record = accept(rec.data, rec.id, local);
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
   * Records refused before (one that did not open, a version this device cannot read yet) are
   * asked for again by id: the cursor has moved past them, and a later version is not the only way
   * they can come right. Each keeps its problem, shown to the person, until it applies.
   */
  async function retryRefused(client: ApiClient): Promise<string[]> {
    const ids = (await repo.refusedRecords()).map((r) => r.id);
    const changed: string[] = [];
    for (let i = 0; i < ids.length; i += MAX_RECORDS_BY_ID) {
      const chunk = ids.slice(i, i + MAX_RECORDS_BY_ID);
      const { records } = await client.vault.records.query({ ids: chunk });
      const found = new Map(records.map((r) => [r.id, r]));
      // Nothing left on the server to retry: a deletion applies (or already has) as usual.
      await repo.clearProblems(chunk.filter((id) => !found.has(id) || found.get(id)!.deleted));
      changed.push(...(await apply(records, false)).changed);
    }
    return changed;
  }

  async function pull(): Promise<void> {
    const client = deps.client();
    let meta = await repo.sync();
    if (!meta || !client) return;
    const changed: string[] = await retryRefused(client);
    for (;;) {
      const page = await client.vault.changes.query({ cursor: meta.cursor, limit: 1000 });
      changed.push(...(await apply(page.records, false)).changed);
      meta = { ...meta, cursor: page.cursor, lastSyncAt: now() };
      await repo.putSync(meta);
      if (!page.more) break;
    }
    if (changed.length > 0) await deps.refresh(changed);
  }

  async function push(): Promise<{ pushed: number; again: boolean }> {
    const client = deps.client();
    if (!client) return { pushed: 0, again: false };
    const dirty = await repo.dirtyEntries();
    let pushed = 0;
    let again = false;
    let batch: { record: EntryRecord; data: string }[] = [];
    let chars = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const sent = batch;
      batch = [];
      chars = 0;
      const { results } = await client.vault.putMany.mutate({
        records: sent.map(({ record, data }) => ({ id: record.id, baseRevision: record.serverRevision ?? 0, data: record.deleted === 1 ? '' : data, deleted: record.deleted === 1 })),
      });
      const acks: SyncAck[] = [];
      const conflicts: ServerRecord[] = [];
      const gone: EntryRecord[] = [];
      for (const [i, r] of results.entries()) {
        const { record, data } = sent[i]!;
        if (r.status === 'ok') acks.push({ id: record.id, localRevision: record.revision, serverRevision: r.revision, sent: data, deleted: record.deleted === 1 });
        else if (r.current) conflicts.push(r.current);
        else gone.push(record);
      }
      // Acknowledged first, before anything below that can fail (the vault locking, a record that
      // will not open): an accepted write left dirty would be sent again as a conflict with itself,
      // and every device would download an extra revision of it.
      await repo.markSynced(acks);
      pushed += acks.length;
      if (gone.length > 0) {
        await repo.applyRemote(gone.map(resendAsNew));
        again = true;
      }
      if (conflicts.length > 0) {
        const { changed } = await apply(conflicts, true);
        again = true;
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
    return { pushed, again };
  }

  async function fetchRecord(id: string): Promise<EntryRecord | undefined> {
    const notHere = () => new AppError('NETWORK', t('errorEntryNotDownloaded'), { subject: id });
    const client = deps.client();
    if (!client) throw notHere();
    const { records } = await client.vault.records.query({ ids: [id] }).catch(() => {
      throw notHere();
    });
    const rec = records[0];
    if (!rec || rec.deleted) return undefined;
    const [locals, marks] = await Promise.all([repo.entriesById([id]), repo.marks([id])]);
    const { record } = acceptRemoteRecord(session.userKey(), rec.data, id, revisionFloor(marks.get(id), locals.get(id)));
    // Not awaited: the download's large writes may hold the store, and a write queued after this
    // one (an edit) still finds the record there.
    void repo.putRemoteIfAbsent({ id, record, serverRevision: rec.revision, base: undefined, dirty: false, seen: record.revision }).catch(() => undefined);
    return record;
  }

  return { pull, push, fetchRecord };
}
