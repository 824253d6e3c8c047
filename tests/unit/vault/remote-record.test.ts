import { describe, expect, it } from 'vitest';
import { generateKey } from '../../../lib/crypto/keys';
import { emptyEntryFields } from '../../../lib/model/entry';
import type { EntryRecord } from '../../../lib/vault/db';
import { sealEntry } from '../../../lib/vault/entry-crypto';
import { encodeRecord } from '../../../lib/vault/record-codec';
import { acceptRemoteRecord, ReplayedRecordError, revisionFloor } from '../../../lib/vault/remote-record';

const key = generateKey();
const itemKey = generateKey();
const version = (revision: number, password: string, id = 'entry-1'): EntryRecord =>
  sealEntry(key, { id, revision, container: 'personal', fields: { ...emptyEntryFields(), title: 'Mail', password }, createdAt: 1, updatedAt: revision }, itemKey);
const wire = (r: EntryRecord) => encodeRecord(r);
const none = { seen: 0, deleted: false };

describe('acceptRemoteRecord', () => {
  it('accepts the entry’s own record at or above the revision already seen', () => {
    expect(acceptRemoteRecord(key, wire(version(3, 'pw-3')), 'entry-1', { seen: 2, deleted: false }).record.revision).toBe(3);
    expect(acceptRemoteRecord(key, wire(version(2, 'pw-2')), 'entry-1', { seen: 2, deleted: false }).title).toBe('Mail');
  });

  it('refuses a revision older than one seen, naming the entry and both revisions', () => {
    const replay = () => acceptRemoteRecord(key, wire(version(1, 'pw-1')), 'entry-1', { seen: 2, deleted: false });
    expect(replay).toThrow(ReplayedRecordError);
    expect(replay).toThrow(/"Mail" \(revision 1\).*\(revision 2\)/);
  });

  it('refuses the last version seen of an entry deleted since', () => {
    expect(() => acceptRemoteRecord(key, wire(version(2, 'pw-2')), 'entry-1', { seen: 2, deleted: true })).toThrow(/deleted since/);
    expect(acceptRemoteRecord(key, wire(version(3, 'pw-3')), 'entry-1', { seen: 2, deleted: true }).record.revision).toBe(3);
  });

  it('refuses a record whose claimed revision is not the one bound into its ciphertext', () => {
    const relabelled = { ...version(1, 'pw-1'), revision: 7 };
    expect(() => acceptRemoteRecord(key, wire(relabelled), 'entry-1', none)).toThrow(expect.objectContaining({ code: 'DECRYPT_FAILED', subject: 'entry-1' }));
  });

  it('refuses halves of two revisions put together', () => {
    const mixed = { ...version(2, 'pw-2'), details: version(1, 'pw-1').details };
    expect(() => acceptRemoteRecord(key, wire(mixed), 'entry-1', none)).toThrow(expect.objectContaining({ code: 'DECRYPT_FAILED' }));
  });

  it('refuses another entry’s record', () => {
    expect(() => acceptRemoteRecord(key, wire(version(1, 'pw', 'entry-2')), 'entry-1', none)).toThrow(expect.objectContaining({ code: 'CORRUPT_RECORD', subject: 'entry-1' }));
  });
});

describe('revisionFloor', () => {
  const clean = { ...version(4, 'x'), dirty: 0 as const };
  it('takes the highest of the mark and the clean record, or the dirty record’s base', () => {
    expect(revisionFloor({ id: 'entry-1', revision: 2 }, clean)).toEqual({ seen: 4, deleted: false });
    expect(revisionFloor({ id: 'entry-1', revision: 6 }, clean)).toEqual({ seen: 6, deleted: false });
    expect(revisionFloor(undefined, { ...version(9, 'y'), dirty: 1, base: wire(version(5, 'z')) })).toEqual({ seen: 5, deleted: false });
    expect(revisionFloor(undefined, { ...version(9, 'y'), dirty: 1 })).toEqual({ seen: 0, deleted: false });
  });
  it('remembers a deleted entry', () => {
    expect(revisionFloor({ id: 'entry-1', revision: 3, deleted: true }, undefined)).toEqual({ seen: 3, deleted: true });
  });
});
