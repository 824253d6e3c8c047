// Reads and writes of the encrypted store. Every change is one transaction.
import { AppError } from '../errors';
import type { AccountRecord, EntryMark, EntryRecord, SettingsRecord, SnapshotRecord, SyncRecord } from './db';
import { VaultDb } from './db';
import { createLinkRows, type LinkRows } from './link-rows';
import { createPinRows, type PinRows } from './pin-rows';
import { createShareRows, type ShareRows } from './share-rows';
import { baseOf, putChunks, updateMarks } from './record-writes';
import { t } from '../i18n';

export const DEFAULT_IDLE_MINUTES = 15;

export interface SyncAck {
  id: string;
  /** The content revision that was sent. */
  localRevision: number;
  serverRevision: number;
  sent: string;
  deleted: boolean;
}

/** One record as sync decided it should now be stored: null removes it. */
export interface RemoteWrite {
  id: string;
  record: EntryRecord | null;
  serverRevision: number;
  base: string | undefined;
  dirty: boolean;
  /** Keep it as a deletion still to be pushed. */
  deleted?: boolean;
  /** The content revision of the server's record that was accepted (checked against its ciphertext). */
  seen?: number;
}

/** A record from the server that sync refused; shown to the person until it is resolved. */
export interface RefusedRecord {
  id: string;
  problem: NonNullable<EntryMark['problem']>;
}

export interface VaultRepository {
  account(): Promise<AccountRecord | undefined>;
  createAccount(account: AccountRecord): Promise<void>;
  replaceAccount(account: AccountRecord): Promise<void>;
  settings(): Promise<SettingsRecord>;
  /** Changes the given settings and keeps the others. */
  putSettings(settings: Partial<Omit<SettingsRecord, 'key'>>): Promise<void>;
  allEntries(): Promise<unknown[]>;
  entry(id: string): Promise<unknown | undefined>;
  /** Writes the record only if the stored one still has `expectedRevision` (0: must not exist). */
  putEntry(record: EntryRecord, expectedRevision: number): Promise<void>;
  putEntries(records: EntryRecord[]): Promise<void>;
  /**
   * New and changed records in one transaction, each only if the stored one still has its
   * `expectedRevision` (0: must not exist); one conflict writes nothing.
   */
  putBatch(items: { record: EntryRecord; expectedRevision: number }[]): Promise<void>;
  /**
   * putBatch for many: every chunk the iterable yields is written in the same one transaction, and
   * the next chunk is pulled (sealed, when the caller's generator seals) while the store writes the
   * one before. Anything thrown, by the store or the generator, writes nothing.
   */
  putChunks(chunks: Iterable<{ record: EntryRecord; expectedRevision: number }[]>): Promise<void>;
  deleteEntry(id: string): Promise<void>;
  /** Records with changes the server has not acknowledged, deletions included. */
  dirtyEntries(): Promise<EntryRecord[]>;
  /** The server acknowledged these writes (`sent` is what it now holds), in one transaction. */
  markSynced(acks: SyncAck[]): Promise<void>;
  /**
   * Writes what sync decided, new local records (conflict copies) and the records it refused, in
   * one transaction, with the revision now seen of each entry.
   */
  applyRemote(writes: RemoteWrite[], added?: EntryRecord[], refused?: RefusedRecord[]): Promise<void>;
  /** What this device has seen of these entries (deleted ones included). */
  marks(ids: string[]): Promise<Map<string, EntryMark>>;
  /** Every entry with a record from the server that was refused and not yet resolved. */
  refusedRecords(): Promise<RefusedRecord[]>;
  /** Forgets the problems of these entries (the server no longer has a version of them to retry). */
  clearProblems(ids: string[]): Promise<void>;
  /** Stores a record from the server unless one with its id is already here (a download got there first). */
  putRemoteIfAbsent(write: RemoteWrite & { record: EntryRecord }): Promise<void>;
  entriesById(ids: string[]): Promise<Map<string, EntryRecord>>;
  dirtyCount(): Promise<number>;
  /** Every stored record's id (tombstones included): one read of the primary keys. */
  entryIds(): Promise<string[]>;
  snapshot(): Promise<Uint8Array | undefined>;
  putSnapshot(sealed: Uint8Array | undefined): Promise<void>;
  sync(): Promise<SyncRecord | undefined>;
  putSync(sync: SyncRecord | undefined): Promise<void>;
  /** The link shares made on this device, sealed. */
  links: LinkRows;
  /** The public keys pinned for connected people, signed and sealed. */
  pins: PinRows;
  /** The shares this device is a member of or is offered, with their keys. */
  shares: ShareRows;
  /** Removes every local record and setting (signing in on this device replaces an empty vault). */
  clearAll(): Promise<void>;
  close(): void;
}

export function createVaultRepository(db: VaultDb = new VaultDb()): VaultRepository {
  return {
    async account() {
      return (await db.meta.get('account')) as AccountRecord | undefined;
    },
    async createAccount(account) {
      await db.transaction('rw', db.meta, async () => {
        if (await db.meta.get('account')) throw new AppError('VAULT_EXISTS', t('errorVaultExists'));
        await db.meta.put(account);
      });
    },
    async replaceAccount(account) {
      await db.meta.put(account);
    },
    async settings() {
      const s = (await db.meta.get('settings')) as SettingsRecord | undefined;
      return s ?? { key: 'settings', idleMinutes: DEFAULT_IDLE_MINUTES };
    },
    async putSettings(settings) {
      await db.transaction('rw', db.meta, async () => {
        const current = ((await db.meta.get('settings')) as SettingsRecord | undefined) ?? { key: 'settings', idleMinutes: DEFAULT_IDLE_MINUTES };
        await db.meta.put({ ...current, ...settings, key: 'settings' });
      });
    },
    async allEntries() {
      return db.entries.toArray();
    },
    async entry(id) {
      return db.entries.get(id);
    },
    async putEntry(record, expectedRevision) {
      await db.transaction('rw', db.entries, async () => {
        const current = await db.entries.get(record.id);
        const currentRevision = current?.revision ?? 0;
        if (currentRevision !== expectedRevision || current?.deleted === 1) {
          throw new AppError('CONFLICT', t('errorRecordChangedWhileEditing', record.id), { subject: record.id });
        }
        await db.entries.put({ ...record, serverRevision: current?.serverRevision ?? 0, base: baseOf(current), dirty: 1, deleted: 0 });
      });
    },
    async putEntries(records) {
      await db.transaction('rw', db.entries, async () => {
        await db.entries.bulkPut(records.map((r) => ({ ...r, serverRevision: 0, dirty: 1 as const, deleted: 0 as const })));
      });
    },
    async putBatch(items) {
      await putChunks(db, [items]);
    },
    async putChunks(chunks) {
      await putChunks(db, chunks);
    },
    async deleteEntry(id) {
      await db.transaction('rw', db.entries, async () => {
        const current = await db.entries.get(id);
        if (!current) return;
        // A record the server knows about stays as a tombstone until the deletion is synced.
        if ((current.serverRevision ?? 0) > 0) await db.entries.put({ ...current, base: baseOf(current), deleted: 1, dirty: 1 });
        else await db.entries.delete(id);
      });
    },
    async dirtyEntries() {
      return db.entries.where('dirty').equals(1).toArray();
    },
    async markSynced(acks) {
      if (acks.length === 0) return;
      await db.transaction('rw', db.entries, db.marks, async () => {
        // What the server now holds is ours: a record it had sent and we refused is replaced.
        await updateMarks(db, acks.map((a) => ({ id: a.id, revision: a.deleted ? 0 : a.localRevision, problem: null, deleted: a.deleted })));
        const rows = await db.entries.bulkGet(acks.map((a) => a.id));
        const gone: string[] = [];
        const updated: EntryRecord[] = [];
        acks.forEach((ack, i) => {
          const current = rows[i];
          if (!current) return;
          if (ack.deleted && current.deleted === 1) {
            gone.push(ack.id);
            return;
          }
          // Edited again while the write was in flight: keep it dirty, on the version the server has.
          const unchanged = current.revision === ack.localRevision && (current.deleted ?? 0) === (ack.deleted ? 1 : 0);
          updated.push({ ...current, serverRevision: ack.serverRevision, base: unchanged ? undefined : ack.sent, dirty: unchanged ? 0 : 1 });
        });
        if (gone.length > 0) await db.entries.bulkDelete(gone);
        if (updated.length > 0) await db.entries.bulkPut(updated);
      });
    },
    async applyRemote(writes, added = [], refused = []) {
      if (writes.length === 0 && added.length === 0 && refused.length === 0) return;
      await db.transaction('rw', db.entries, db.marks, async () => {
        const removed = writes.filter((w) => w.record === null).map((w) => w.id);
        // A deleted entry keeps the revision it was last seen at, so an old version cannot bring it back.
        const gone = removed.length > 0 ? await db.entries.bulkGet(removed) : [];
        await updateMarks(db, [
          ...writes.filter((w) => w.seen !== undefined).map((w) => ({ id: w.id, revision: w.seen!, problem: null, deleted: false })),
          ...gone.flatMap((r) => (r ? [{ id: r.id, revision: r.dirty === 1 ? 0 : r.revision, problem: null, deleted: true }] : [])),
          ...refused.map((r) => ({ id: r.id, revision: 0, problem: r.problem })),
        ]);
        const kept: EntryRecord[] = writes
          .filter((w) => w.record !== null)
          .map((w) => ({ ...w.record!, serverRevision: w.serverRevision, base: w.dirty ? w.base : undefined, dirty: w.dirty ? 1 : 0, deleted: w.deleted ? 1 : 0 }));
        if (removed.length > 0) await db.entries.bulkDelete(removed);
        const fresh = added.map((r) => ({ ...r, serverRevision: 0, base: undefined, dirty: 1 as const, deleted: 0 as const }));
        if (kept.length + fresh.length > 0) await db.entries.bulkPut([...kept, ...fresh]);
      });
    },
    async putRemoteIfAbsent(w) {
      await db.transaction('rw', db.entries, db.marks, async () => {
        if (await db.entries.get(w.id)) return;
        if (w.seen !== undefined) await updateMarks(db, [{ id: w.id, revision: w.seen, problem: null, deleted: false }]);
        await db.entries.put({ ...w.record, serverRevision: w.serverRevision, base: undefined, dirty: 0, deleted: 0 });
      });
    },
    async entriesById(ids) {
      const rows = await db.entries.bulkGet(ids);
      const map = new Map<string, EntryRecord>();
      for (const r of rows) if (r) map.set(r.id, r);
      return map;
    },
    async marks(ids) {
      const rows = await db.marks.bulkGet(ids);
      const map = new Map<string, EntryMark>();
      for (const r of rows) if (r) map.set(r.id, r);
      return map;
    },
    async refusedRecords() {
      const rows = await db.marks.filter((m) => m.problem !== undefined).toArray();
      return rows.map((m) => ({ id: m.id, problem: m.problem! }));
    },
    async clearProblems(ids) {
      if (ids.length === 0) return;
      await db.transaction('rw', db.marks, () => updateMarks(db, ids.map((id) => ({ id, revision: 0, problem: null }))));
    },
    async entryIds() {
      return db.entries.toCollection().primaryKeys();
    },
    async snapshot() {
      return ((await db.meta.get('snapshot')) as SnapshotRecord | undefined)?.sealed;
    },
    async putSnapshot(sealed) {
      if (sealed) await db.meta.put({ key: 'snapshot', sealed });
      else await db.meta.delete('snapshot');
    },
    async dirtyCount() {
      return db.entries.where('dirty').equals(1).count();
    },
    async sync() {
      return (await db.meta.get('sync')) as SyncRecord | undefined;
    },
    async putSync(sync) {
      if (sync) await db.meta.put(sync);
      else await db.meta.delete('sync');
    },
    links: createLinkRows(db),
    pins: createPinRows(db),
    shares: createShareRows(db),
    async clearAll() {
      await db.transaction('rw', [db.entries, db.meta, db.marks, db.links, db.pins, db.shares], async () => {
        await db.shares.clear();
        await db.links.clear();
        await db.pins.clear();
        await db.entries.clear();
        await db.meta.clear();
        await db.marks.clear();
      });
    },
    close() {
      db.close();
    },
  };
}
