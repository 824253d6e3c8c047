// Writing a container's records: each write names the revision it started from and the key epoch
// it was sealed under; the others come back as conflicts (with the current record, to merge) or as
// stale epochs. One transaction per call, taking its locks in the one order (the container row,
// then users rows by ascending id) so writes to containers never deadlock.
import { lockContainer, readersOf, requireContainer } from '../containers/access.ts';
import { announce, lockUsers, raiseWatermarks } from '../containers/watermarks.ts';
import type { Database } from '../db/index.ts';
import type { VaultRecordRow } from '../db/schema.ts';
import { ServerError } from '../errors.ts';
import { endLinksOfRecords } from '../links/store.ts';
import { recordBytes, requireRoom } from './quota.ts';
import { recordColumns, upsertRecords, toRecord, type VaultRecord } from './records.ts';

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
  const { db } = database;
  const outcome = await db.transaction().execute(async (trx) => {
    await lockContainer(database, trx, containerId);
    const container = await requireContainer(trx, userId, containerId, 'write', now);
    // The owner is charged for the storage even after leaving their share.
    const accounts = await lockUsers(database, trx, [...(await readersOf(trx, container)), container.ownerId]);
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
      rows.push({ container_id: containerId, id: put.id, revision, seq, key_epoch: put.keyEpoch, deleted: put.deleted ? 1 : 0, data, updated_at: now, author_id: userId });
      results.push({ id: put.id, status: 'ok', revision, cursor: seq });
    }
    let watermarks = new Map<string, number>();
    if (rows.length > 0) {
      requireRoom(owner.storage_used, growth, quotaBytes);
      await upsertRecords(trx, rows);
      // Every record's seq is at most its container's head: containerChanges relies on it.
      await trx.updateTable('containers').set({ head_seq: seq, updated_at: now }).where('id', '=', containerId).execute();
      // Each reader's watermark rises in the same transaction, so their idle poll sees the write.
      // By the number of records written: a user with only a personal container keeps its
      // watermark equal to that container's head, as the cursor was before containers.
      watermarks = await raiseWatermarks(database, trx, accounts, rows.length, new Map([[container.ownerId, growth]]));
      // A deleted entry takes its owner's link shares of it along (the copy in each is deleted at once).
      await endLinksOfRecords(trx, container.ownerId, rows.filter((r) => r.deleted === 1).map((r) => r.id), now);
    }
    return { results, cursor: seq, watermarks };
  });
  announce(database, outcome.watermarks);
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
