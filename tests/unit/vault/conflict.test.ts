import { describe, expect, it } from 'vitest';
import { generateKey } from '../../../lib/crypto/keys';
import { emptyEntryFields, type EntryFields } from '../../../lib/model/entry';
import { AppError } from '../../../lib/errors';
import type { EntryRecord } from '../../../lib/vault/db';
import { openFields, openFieldsDated, sealEntry } from '../../../lib/vault/entry-crypto';
import { decodeRecord, encodeRecord } from '../../../lib/vault/record-codec';
import { resolveConflict, type ResolveDeps } from '../../../lib/vault/conflict';
import { openItemKey, openOverview } from '../../../lib/vault/entry-crypto';

const key = generateKey();
const itemKey = generateKey();
const fields = (over: Partial<EntryFields>): EntryFields => ({ ...emptyEntryFields(), title: 'Mail', password: 'pw-1', ...over });
const version = (revision: number, over: Partial<EntryFields>): EntryRecord =>
  sealEntry(key, { id: 'e', revision, container: 'personal', fields: fields(over), createdAt: 1, updatedAt: revision }, itemKey);
const deps: ResolveDeps = {
  containerKey: key,
  now: 100,
  accept: (data) => decodeRecord(data, 'e'),
  refuse: (e) => ({ id: 'e', problem: { code: 'CORRUPT_RECORD', message: (e as Error).message } }),
};

describe('resolveConflict', () => {
  const base = version(1, {});
  const mine: EntryRecord = { ...version(2, { notes: 'mine' }), dirty: 1, serverRevision: 1, base: encodeRecord(base) };

  it('merges fields changed on one side each, above both revisions, remembering the server’s', () => {
    const theirs = version(2, { password: 'theirs' });
    const r = resolveConflict(mine, { id: 'e', revision: 2, data: encodeRecord(theirs), deleted: false }, deps);
    expect(r.write.record!.revision).toBe(3);
    expect(r.write.seen).toBe(2);
    expect(openFields(key, r.write.record!)).toMatchObject({ notes: 'mine', password: 'theirs' });
    expect(r.copy).toBeUndefined();
  });

  it('keeps a copy of ours when the same field changed differently', () => {
    const theirs = version(2, { notes: 'theirs' });
    const r = resolveConflict(mine, { id: 'e', revision: 2, data: encodeRecord(theirs), deleted: false }, deps);
    // Marked by a field of its own, sealed with its overview; no tag the person could have set too.
    expect(openOverview(openItemKey(key, r.copy!), r.copy!).conflictOf).toBe('e');
    expect(openFields(key, r.copy!)).toMatchObject({ notes: 'mine', tags: [] });
    expect(openFields(key, r.copy!)).not.toHaveProperty('conflictOf');
  });

  it('merges the trash mark as a field and keeps both devices’ earlier passwords', () => {
    const trashedHere: EntryRecord = {
      ...sealEntry(key, { id: 'e', revision: 2, container: 'personal', fields: fields({ password: 'pw-2' }), createdAt: 1, updatedAt: 2, trashedAt: 50, passwordHistory: [{ password: 'pw-1', replacedAt: 2 }] }, itemKey),
      dirty: 1,
      serverRevision: 1,
      base: encodeRecord(base),
    };
    const editedThere = sealEntry(key, { id: 'e', revision: 2, container: 'personal', fields: fields({ title: 'Mail (work)' }), createdAt: 1, updatedAt: 3, passwordHistory: [{ password: 'pw-0', replacedAt: 1 }] }, itemKey);
    const r = resolveConflict(trashedHere, { id: 'e', revision: 2, data: encodeRecord(editedThere), deleted: false }, deps);
    const merged = openFieldsDated(key, r.write.record!);
    expect(merged.trashedAt).toBe(50);
    expect(merged.fields).toMatchObject({ title: 'Mail (work)', password: 'pw-2' });
    expect(merged.passwordHistory).toEqual([{ password: 'pw-1', replacedAt: 2 }, { password: 'pw-0', replacedAt: 1 }]);
    expect(r.copy).toBeUndefined();

    // Restored there after both saw it trashed: the restore wins over an edit here.
    const trashedBase = sealEntry(key, { id: 'e', revision: 2, container: 'personal', fields: fields({}), createdAt: 1, updatedAt: 2, trashedAt: 50 }, itemKey);
    const editedHere: EntryRecord = { ...sealEntry(key, { id: 'e', revision: 3, container: 'personal', fields: fields({ notes: 'n' }), createdAt: 1, updatedAt: 3, trashedAt: 50 }, itemKey), dirty: 1, serverRevision: 2, base: encodeRecord(trashedBase) };
    const restoredThere = sealEntry(key, { id: 'e', revision: 3, container: 'personal', fields: fields({}), createdAt: 1, updatedAt: 4 }, itemKey);
    const back = resolveConflict(editedHere, { id: 'e', revision: 3, data: encodeRecord(restoredThere), deleted: false }, deps);
    expect(openFieldsDated(key, back.write.record!).trashedAt).toBeUndefined();
    expect(openFieldsDated(key, back.write.record!).fields.notes).toBe('n');
  });

  it('keeps ours, on the server’s revision, when the server’s version is refused', () => {
    const refusing = { ...deps, accept: () => { throw new AppError('CORRUPT_RECORD', 'older version of "Mail"'); } };
    const r = resolveConflict(mine, { id: 'e', revision: 5, data: encodeRecord(base), deleted: false }, refusing);
    expect(r.refused).toEqual({ id: 'e', problem: { code: 'CORRUPT_RECORD', message: 'older version of "Mail"' } });
    expect(r.write).toMatchObject({ record: mine, serverRevision: 5, dirty: true, base: mine.base });
    expect(r.write.seen).toBeUndefined();
  });
});
