// The writes of the entry store that need more than one statement: a record's base kept for sync,
// the revisions seen of entries, and new and changed records written in chunks in one transaction.
import Dexie from 'dexie';
import { AppError } from '../errors';
import { t } from '../i18n';
import type { EntryMark, EntryRecord } from './db';
import type { VaultDb } from './db';
import { encodeRecord } from './record-codec';

/**
 * The version the server last acknowledged, kept while a record has unsent changes: a clean
 * record is its own base, so only dirty ones carry a copy.
 */
export function baseOf(current: EntryRecord | undefined): string | undefined {
  if (!current || (current.serverRevision ?? 0) === 0) return undefined;
  return current.dirty === 1 ? current.base : encodeRecord(current);
}

/** A revision seen (never lowered), and the entry's problem cleared or set. */
export interface MarkUpdate {
  id: string;
  revision: number;
  problem: EntryMark['problem'] | null;
  /** true: deleted since; false: a version was accepted; absent: unchanged. */
  deleted?: boolean;
}

export async function updateMarks(db: VaultDb, updates: MarkUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  const current = await db.marks.bulkGet(updates.map((u) => u.id));
  const next = new Map<string, EntryMark>();
  updates.forEach((u, i) => {
    const was = next.get(u.id) ?? current[i];
    const problem = u.problem === null ? undefined : u.problem;
    const deleted = u.deleted ?? was?.deleted ?? false;
    next.set(u.id, { id: u.id, revision: Math.max(was?.revision ?? 0, u.revision), ...(deleted ? { deleted } : {}), ...(problem ? { problem } : {}) });
  });
  await db.marks.bulkPut([...next.values()]);
}

/** Changed records, each only if the stored one still has its expected revision. */
async function putChangedIn(db: VaultDb, items: RecordWrite[]): Promise<void> {
  const rows = await db.entries.bulkGet(items.map((i) => i.record.id));
  const out = items.map(({ record, expectedRevision }, i) => {
    const current = rows[i];
    if ((current?.revision ?? 0) !== expectedRevision || current?.deleted === 1) {
      throw new AppError('CONFLICT', t('errorRecordChangedMeanwhile', record.id), { subject: record.id });
    }
    return { ...record, serverRevision: current?.serverRevision ?? 0, base: baseOf(current), dirty: 1 as const, deleted: 0 as const };
  });
  await db.entries.bulkPut(out);
}

/**
 * New records, added: the store refuses an id it already holds (tombstones included), so an import
 * of 10,000 reads nothing first. One refusal fails the whole transaction.
 */
async function addFreshIn(db: VaultDb, records: EntryRecord[]): Promise<void> {
  try {
    await db.entries.bulkAdd(records.map((r) => ({ ...r, serverRevision: 0, base: undefined, dirty: 1 as const, deleted: 0 as const })));
  } catch (e) {
    const id = e instanceof Dexie.BulkError ? records[Number(Object.keys(e.failuresByPos)[0])]?.id : undefined;
    throw new AppError('CONFLICT', t('errorRecordChangedMeanwhile', id ?? ''), { subject: id, cause: e });
  }
}


export type RecordWrite = { record: EntryRecord; expectedRevision: number };

/**
 * Every chunk `chunks` yields, in one transaction. Pulling a chunk seals it (when the caller's
 * generator seals) while the store is still writing the chunk before, so the two overlap; anything
 * thrown, by the store or the generator, writes nothing.
 */
export async function putChunks(db: VaultDb, chunks: Iterable<RecordWrite[]>): Promise<void> {
  await db.transaction('rw', db.entries, async () => {
    let pending: Promise<void> | undefined;
    for (const chunk of chunks) {
      await pending;
      pending = undefined;
      const fresh = chunk.filter((i) => i.expectedRevision === 0).map((i) => i.record);
      const changed = chunk.filter((i) => i.expectedRevision !== 0);
      if (changed.length > 0) await putChangedIn(db, changed);
      if (fresh.length > 0) {
        pending = addFreshIn(db, fresh);
        pending.catch(() => undefined); // awaited on the next turn; this only keeps it from being reported unhandled
      }
    }
    await pending;
  });
}
