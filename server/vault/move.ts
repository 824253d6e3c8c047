// vault.move: records leave one container and enter another in one transaction (sharing an entry
// moves it from the personal container into a share, and stopping moves it back). For each record
// either both happen, a tombstone in `from` and the new ciphertext in `to`, or neither.
import { lockContainers, readersOf, requireContainer } from '../containers/access.ts';
import { announce, lockUsers, raiseWatermarks } from '../containers/watermarks.ts';
import type { Database } from '../db/index.ts';
import type { VaultRecordRow } from '../db/schema.ts';
import { recordBytes, requireRoom } from './quota.ts';
import { recordColumns, upsertRecords } from './records.ts';

export interface MoveRecord {
  id: string;
  /** The revision in `from` the client moves (its tombstone gets the next one). */
  fromBaseRevision: number;
  /** The record sealed for `to` (under `toEpoch`). */
  data: string;
}

export type MoveResult = { id: string; status: 'ok'; revision: number } | { id: string; status: 'conflict' | 'stale-epoch' | 'not-found' };

export interface MoveInput {
  from: string;
  to: string;
  toEpoch: number;
  records: MoveRecord[];
}

const recordsIn = (trx: Parameters<typeof readersOf>[0], containerId: string, ids: string[]) =>
  trx.selectFrom('vault_records').select(recordColumns).where('container_id', '=', containerId).where('id', 'in', ids).execute();

export async function moveRecords(
  database: Database,
  userId: string,
  input: MoveInput,
  now: number,
  quotaBytes: number,
): Promise<{ results: MoveResult[]; cursors: { from: number; to: number } }> {
  const outcome = await database.db.transaction().execute(async (trx) => {
    await lockContainers(database, trx, [input.from, input.to]);
    const from = await requireContainer(trx, userId, input.from, 'write', now);
    const to = await requireContainer(trx, userId, input.to, 'write', now);
    const ids = input.records.map((r) => r.id);
    const inFrom = new Map((await recordsIn(trx, input.from, ids)).map((r) => [r.id, r]));
    const inTo = new Map((await recordsIn(trx, input.to, ids)).map((r) => [r.id, r]));
    let fromSeq = from.head;
    let toSeq = to.head;
    const storage = new Map<string, number>();
    const charge = (owner: string, bytes: number) => storage.set(owner, (storage.get(owner) ?? 0) + bytes);
    const results: MoveResult[] = [];
    const rows: VaultRecordRow[] = [];
    for (const record of input.records) {
      const source = inFrom.get(record.id);
      const target = inTo.get(record.id);
      if (input.toEpoch !== to.epoch) results.push({ id: record.id, status: 'stale-epoch' });
      else if (!source || source.deleted === 1) results.push({ id: record.id, status: 'not-found' });
      // A live record of the same id in `to` is another entry's: never overwritten by a move.
      else if (source.revision !== record.fromBaseRevision || (target && target.deleted === 0)) results.push({ id: record.id, status: 'conflict' });
      else {
        const revision = (target?.revision ?? 0) + 1;
        rows.push({ container_id: input.from, id: record.id, revision: source.revision + 1, seq: ++fromSeq, key_epoch: from.epoch, deleted: 1, data: '', updated_at: now, author_id: userId });
        rows.push({ container_id: input.to, id: record.id, revision, seq: ++toSeq, key_epoch: to.epoch, deleted: 0, data: record.data, updated_at: now, author_id: userId });
        charge(from.ownerId, recordBytes(record.id, '') - recordBytes(record.id, source.data));
        charge(to.ownerId, recordBytes(record.id, record.data) - (target ? recordBytes(record.id, target.data) : 0));
        results.push({ id: record.id, status: 'ok', revision });
      }
    }
    let watermarks = new Map<string, number>();
    if (rows.length > 0) {
      const readers = [...(await readersOf(trx, from)), ...(await readersOf(trx, to)), from.ownerId, to.ownerId];
      const accounts = await lockUsers(database, trx, readers);
      for (const [owner, growth] of storage) requireRoom(accounts.get(owner)!.storage_used, growth, quotaBytes);
      await upsertRecords(trx, rows);
      await trx.updateTable('containers').set({ head_seq: fromSeq, updated_at: now }).where('id', '=', input.from).execute();
      await trx.updateTable('containers').set({ head_seq: toSeq, updated_at: now }).where('id', '=', input.to).execute();
      watermarks = await raiseWatermarks(database, trx, accounts, 1, storage);
    }
    return { results, cursors: { from: fromSeq, to: toSeq }, watermarks };
  });
  announce(database, outcome.watermarks);
  return { results: outcome.results, cursors: outcome.cursors };
}
