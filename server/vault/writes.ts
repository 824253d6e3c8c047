// Writing a container's records: each write names the revision it started from and the key epoch
// it was sealed under; the others come back as conflicts (with the current record, to merge) or as
// stale epochs. One transaction per call, taking its locks in the one order (the container row,
// then users rows by ascending id) so writes to containers never deadlock.
import type { Transaction } from 'kysely';
import { lockContainer, readersOf, requireContainer } from '../containers/access.ts';
import type { Database } from '../db/index.ts';
import type { Schema, VaultRecordRow } from '../db/schema.ts';
import { ServerError } from '../errors.ts';
import { endLinksOfRecords } from '../links/store.ts';
import { recordBytes, requireRoom } from './quota.ts';
import { recordColumns, toRecord, type VaultRecord } from './records.ts';

export interface RecordPut {
  id: string;
  /** The revision the client's edit started from; 0 for a new record. */
  baseRevision: number;
  /** The container's key epoch the record was sealed under. */
  keyEpoch: number;
  data: string;
  deleted?: boolean;
}

export type PutResult =
  | { id: string; status: 'ok'; revision: number; cursor: number }
  | { id: string; status: 'conflict'; current: VaultRecord | null }
  | { id: string; status: 'stale-epoch'; epoch: number };

/** The watermark and storage of each reader, their rows locked in ascending id order. */
async function lockReaders(database: Database, trx: Transaction<Schema>, readers: string[]) {
  const query = trx.selectFrom('users').select(['id', 'change_seq', 'storage_used']).where('id', 'in', readers).orderBy('id');
  // SQLite holds the database's write lock already (lockContainer).
  const rows = await (database.kind === 'postgres' ? query.forUpdate() : query).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Apply the writes whose baseRevision matches the stored revision and whose keyEpoch is the
 * container's, in one transaction. NOT_FOUND unless the user may write to the container.
 */
export async function putRecords(
  database: Database,
  userId: string,
  containerId: string,
  puts: RecordPut[],
  now: number,
  quotaBytes: number,
): Promise<{ results: PutResult[]; cursor: number }> {
  const { db, feed } = database;
  const outcome = await db.transaction().execute(async (trx) => {
    await lockContainer(database, trx, containerId);
    const container = await requireContainer(trx, userId, containerId, 'write');
    const readers = [...readersOf(container)].sort();
    const accounts = await lockReaders(database, trx, readers);
    const owner = accounts.get(container.ownerId)!;
    let seq = container.head;
    let growth = 0;
    const existing = await trx
      .selectFrom('vault_records')
      .select(recordColumns)
      .where('container_id', '=', containerId)
      .where(
        'id',
        'in',
        puts.map((p) => p.id),
      )
      .execute();
    const current = new Map(existing.map((r) => [r.id, r]));
    const results: PutResult[] = [];
    const rows: VaultRecordRow[] = [];
    for (const put of puts) {
      if (put.keyEpoch !== container.epoch) {
        results.push({ id: put.id, status: 'stale-epoch', epoch: container.epoch });
        continue;
      }
      const stored = current.get(put.id);
      const storedRevision = stored?.revision ?? 0;
      if (put.baseRevision !== storedRevision) {
        results.push({ id: put.id, status: 'conflict', current: stored ? toRecord(stored) : null });
        continue;
      }
      seq += 1;
      const revision = storedRevision + 1;
      // A deleted record keeps its id and revision (a tombstone) but not its ciphertext.
      const data = put.deleted ? '' : put.data;
      growth += recordBytes(put.id, data) - (stored ? recordBytes(stored.id, stored.data) : 0);
      rows.push({ container_id: containerId, id: put.id, revision, seq, key_epoch: put.keyEpoch, deleted: put.deleted ? 1 : 0, data, updated_at: now });
      results.push({ id: put.id, status: 'ok', revision, cursor: seq });
    }
    const watermarks = new Map<string, number>();
    if (rows.length > 0) {
      requireRoom(owner.storage_used, growth, quotaBytes);
      await trx
        .insertInto('vault_records')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(['container_id', 'id']).doUpdateSet((eb) => ({
            revision: eb.ref('excluded.revision'),
            seq: eb.ref('excluded.seq'),
            key_epoch: eb.ref('excluded.key_epoch'),
            deleted: eb.ref('excluded.deleted'),
            data: eb.ref('excluded.data'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
      // Every record's seq is at most its container's head: containerChanges relies on it.
      await trx.updateTable('containers').set({ head_seq: seq, updated_at: now }).where('id', '=', containerId).execute();
      // Each reader's watermark rises in the same transaction, so their idle poll sees the write.
      // By the number of records written: a user with only a personal container keeps its
      // watermark equal to that container's head, as the cursor was before containers.
      for (const readerId of readers) {
        const account = accounts.get(readerId)!;
        const watermark = account.change_seq + rows.length;
        const storage = readerId === container.ownerId ? { storage_used: account.storage_used + growth } : {};
        await trx.updateTable('users').set({ change_seq: watermark, ...storage }).where('id', '=', readerId).execute();
        watermarks.set(readerId, watermark);
      }
      // A deleted entry takes its owner's link shares of it along (the copy in each is deleted at once).
      await endLinksOfRecords(trx, container.ownerId, rows.filter((r) => r.deleted === 1).map((r) => r.id), now);
      for (const [readerId, watermark] of watermarks) await feed.publishInTransaction(trx, readerId, watermark);
    }
    return { results, cursor: seq, watermarks };
  });
  for (const [readerId, watermark] of outcome.watermarks) feed.committed(readerId, watermark);
  return { results: outcome.results, cursor: outcome.cursor };
}

export function conflictError(current: VaultRecord | null): ServerError {
  return new ServerError(
    'CONFLICT',
    current
      ? 'This entry was changed on another device. Merge the changes and save again.'
      : 'This entry is not on the server. Save it again as a new entry.',
    { current },
  );
}

export function staleEpochError(epoch: number): ServerError {
  return new ServerError('CONFLICT', 'This entry was sealed with a key that has since been replaced. Sync, then save it again.', {
    reason: 'stale-epoch',
    epoch,
  });
}
