// A vault record as the API returns it: opaque ciphertext with its revision and key epoch.
import type { VaultRecordRow } from '../db/schema.ts';

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
