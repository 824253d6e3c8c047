// Many records in one transaction (lib/vault/record-writes.ts): chunks pulled one at a time while
// the store writes the one before; any refusal, or anything the generator throws, writes nothing.
import { describe, expect, it } from 'vitest';
import { VaultDb, type EntryRecord } from '../../../lib/vault/db';
import { createVaultRepository } from '../../../lib/vault/repository';

let n = 0;
const newDb = () => new VaultDb(`record-writes-${++n}-${Math.random().toString(36).slice(2)}`);

function record(id: string, revision = 1): EntryRecord {
  return { id, revision, container: 'personal', itemKey: new Uint8Array(74), overview: new Uint8Array(60), details: new Uint8Array(60), createdAt: 1, updatedAt: 1 };
}
const fresh = (ids: string[]) => ids.map((id) => ({ record: record(id), expectedRevision: 0 }));

describe('putChunks', () => {
  it('writes every chunk of the generator, new records dirty for sync', async () => {
    const repo = createVaultRepository(newDb());
    const pulled: number[] = [];
    function* chunks() {
      for (let c = 0; c < 4; c++) {
        pulled.push(c);
        yield fresh(Array.from({ length: 250 }, (_, i) => `c${c}-${i}`));
      }
    }
    await repo.putChunks(chunks());
    expect(pulled).toEqual([0, 1, 2, 3]);
    expect((await repo.entryIds()).length).toBe(1000);
    expect(await repo.dirtyCount()).toBe(1000);
  });

  it('a new record whose id is already stored (a tombstone too) fails the whole write: nothing of any chunk is kept', async () => {
    const repo = createVaultRepository(newDb());
    await repo.putEntries([record('taken')]);
    function* chunks() {
      yield fresh(['a1', 'a2']);
      yield fresh(['b1', 'taken', 'b2']);
      yield fresh(['c1']);
    }
    const e = await repo.putChunks(chunks()).then(() => undefined, (x: unknown) => x);
    expect((e as { code?: string }).code).toBe('CONFLICT');
    expect((await repo.entryIds()).sort()).toEqual(['taken']);
  });

  it('a changed record must still have its expected revision, or nothing is written', async () => {
    const repo = createVaultRepository(newDb());
    await repo.putEntries([record('x', 3)]);
    await expect(repo.putChunks([fresh(['n1']), [{ record: record('x', 3), expectedRevision: 2 }]])).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await repo.entryIds()).toEqual(['x']);
    await repo.putChunks([fresh(['n1']), [{ record: record('x', 4), expectedRevision: 3 }]]);
    expect((await repo.entriesById(['x'])).get('x')?.revision).toBe(4);
    expect((await repo.entryIds()).sort()).toEqual(['n1', 'x']);
  });

  it('a generator that throws half-way (a crash while sealing) leaves what was stored before and adds nothing', async () => {
    const repo = createVaultRepository(newDb());
    await repo.putEntries([record('before')]);
    function* chunks() {
      yield fresh(['a1', 'a2']);
      throw new Error('sealing failed');
    }
    await expect(repo.putChunks(chunks())).rejects.toThrow('sealing failed');
    expect(await repo.entryIds()).toEqual(['before']);
  });
});
