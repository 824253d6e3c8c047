// Entries sealed a chunk at a time as the store asks (lib/background/vault-batch.ts).
import { describe, expect, it } from 'vitest';
import { sealInChunks, type SealedWrite } from '../../../lib/background/vault-batch';
import { generateKey } from '../../../lib/crypto/keys';
import { emptyEntryFields } from '../../../lib/model/entry';
import { openFields } from '../../../lib/vault/entry-crypto';

const items = (n: number) => Array.from({ length: n }, (_, i) => ({ fields: { ...emptyEntryFields(), title: `T${i}`, password: `pw${i}` } }));

describe('sealInChunks', () => {
  it('seals nothing until a chunk is asked for, then one chunk per pull, with progress after each', () => {
    const key = generateKey();
    const sealed: SealedWrite[] = [];
    const progress: number[] = [];
    const gen = sealInChunks(key, items(5), { container: 'personal', at: 7, sealed, onProgress: (n) => progress.push(n), chunk: 2 });
    expect(sealed).toHaveLength(0);
    const first = gen.next();
    expect(first.value).toHaveLength(2);
    expect(sealed).toHaveLength(2);
    expect(progress).toEqual([]);
    const sizes = [first.value!.length, ...[...{ [Symbol.iterator]: () => gen }].map((c) => c.length)];
    expect(sizes).toEqual([2, 2, 1]);
    expect(progress).toEqual([2, 4, 5]);
    expect(sealed).toHaveLength(5);
  });

  it('new entries get their own id and item key, revision 1, and open with the vault key', () => {
    const key = generateKey();
    const sealed: SealedWrite[] = [];
    const chunks = [...sealInChunks(key, items(3), { container: 'personal', at: 7, sealed })];
    const writes = chunks.flat();
    expect(new Set(writes.map((w) => w.record.id)).size).toBe(3);
    expect(writes.every((w) => w.expectedRevision === 0 && w.record.revision === 1 && w.record.createdAt === 7)).toBe(true);
    expect(new Set(sealed.map((s) => Buffer.from(s.itemKey).toString('hex'))).size).toBe(3);
    expect(openFields(key, writes[1]!.record)).toMatchObject({ title: 'T1', password: 'pw1' });
    expect(sealed[2]!.summary).toMatchObject({ title: 'T2', hasPassword: true });
  });

  it('a changed entry keeps its id, item key and creation time, one revision up', () => {
    const key = generateKey();
    const before: SealedWrite[] = [];
    const first = [...sealInChunks(key, items(1), { container: 'personal', at: 7, sealed: before })][0]![0]!;
    const itemKey = before[0]!.itemKey;
    const sealed: SealedWrite[] = [];
    const changed = [...sealInChunks(key, [{ fields: { ...emptyEntryFields(), title: 'New' }, existing: { record: first.record, itemKey } }], { container: 'personal', at: 9, sealed })][0]![0];
    expect(changed).toMatchObject({ expectedRevision: 1, record: { id: first.record.id, revision: 2, createdAt: 7, updatedAt: 9 } });
    expect(sealed[0]!.itemKey).toBe(itemKey);
  });
});
