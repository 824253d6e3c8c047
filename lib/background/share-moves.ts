// Moving entries between my personal vault and a share (vault.move, one server transaction each
// batch): each entry sealed anew in the container it goes to, with a fresh item key, and stored
// here as the server acknowledged it.
import type { EntryRecord } from '../vault/db';
import { openFieldsDated, sealEntry } from '../vault/entry-crypto';
import { encodeRecord } from '../vault/record-codec';
import type { VaultRepository } from '../vault/repository';
import type { ContainerKeys } from './container-keys';
import { keyOfRecord } from './container-keys';
import type { ShareApi } from './share-api';

export interface MoveTarget {
  /** Ids on the server. */
  from: string;
  to: string;
  /** The local label of the container they go to ('personal' or the share's id) and its epoch. */
  label: string;
  epoch: number;
}

/**
 * Moves these records; returns the ids the server took (the others stay where they were). Only
 * records the server has can move (its base revision is at least 1): sync them first.
 */
export async function moveEntries(api: ShareApi, repo: Pick<VaultRepository, 'applyRemote'>, keys: ContainerKeys, all: EntryRecord[], target: MoveTarget): Promise<string[]> {
  const records = all.filter((r) => (r.serverRevision ?? 0) >= 1);
  if (records.length === 0) return [];
  const key = keys.keyFor(target.label, target.epoch);
  const sealed = records.map((r) => {
    const { fields, passwordChangedAt, trashedAt, passwordHistory } = openFieldsDated(keyOfRecord(keys, r), r);
    const next = sealEntry(key, { id: r.id, revision: r.revision + 1, container: target.label, fields, createdAt: r.createdAt, updatedAt: r.updatedAt, passwordChangedAt, trashedAt, passwordHistory });
    return target.epoch === 0 ? next : { ...next, keyEpoch: target.epoch };
  });
  const { results } = await api.move({
    from: target.from,
    to: target.to,
    toEpoch: target.epoch,
    records: sealed.map((r, i) => ({ id: r.id, fromBaseRevision: records[i]!.serverRevision!, data: encodeRecord(r) })),
  });
  const byId = new Map(sealed.map((r) => [r.id, r]));
  const writes = results.flatMap((res) => (res.status === 'ok' ? [{ id: res.id, record: byId.get(res.id)!, serverRevision: res.revision, base: undefined, dirty: false, seen: byId.get(res.id)!.revision }] : []));
  await repo.applyRemote(writes);
  return writes.map((w) => w.id);
}
