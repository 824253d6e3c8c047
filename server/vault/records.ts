// A vault record as the API returns it (opaque ciphertext with its revision and key epoch), and the one way records are written.
import type { Transaction } from 'kysely';
import type { Schema, VaultRecordRow } from '../db/schema.ts';

export interface VaultRecord {
  id: string;
  revision: number;
  data: string;
  deleted: boolean;
  updatedAt: number;
  /** The key epoch of its container it was sealed under (0 in a personal container). */
  keyEpoch: number;
}

export const recordColumns = ['id', 'revision', 'data', 'deleted', 'updated_at', 'key_epoch'] as const;
export type RecordColumns = Pick<VaultRecordRow, (typeof recordColumns)[number]>;

export const toRecord = (r: RecordColumns): VaultRecord => ({
  id: r.id,
  revision: r.revision,
  data: r.data,
  deleted: r.deleted === 1,
  updatedAt: r.updated_at,
  keyEpoch: r.key_epoch,
});

/** Writes these rows, each a new record or the next revision of one (same container and id). */
export async function upsertRecords(trx: Transaction<Schema>, rows: VaultRecordRow[]): Promise<void> {
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
        author_id: eb.ref('excluded.author_id'),
      })),
    )
    .execute();
}
