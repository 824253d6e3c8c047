import { describe, expect, it } from 'vitest';
import { associatedData, equalBytes, generateKey } from '../../../lib/crypto';
import { wrapKey } from '../../../lib/crypto/keys';
import { emptyEntryFields } from '../../../lib/model/entry';
import { reencryptEntries } from '../../../lib/sharing/share-reencrypt';
import { openDetails, openFieldsDated, openItemKey, openOverview, sealEntry, type EntryPlain } from '../../../lib/vault/entry-crypto';
import { expectAppError } from '../crypto/helpers';

const container = 'c-share';

function record(i: number, shareKey: Uint8Array, extra: Partial<Pick<EntryPlain, 'conflictOf' | 'passwordChangedAt' | 'trashedAt' | 'passwordHistory'>> = {}) {
  const fields = { ...emptyEntryFields(), title: `Site ${i}`, username: `user${i}`, password: `pw-${i}-secret`, notes: `note ${i}`, urls: [`https://site${i}.example`] };
  return sealEntry(shareKey, { id: `e-${i}`, revision: 3 + i, container, fields, createdAt: 100 + i, updatedAt: 200 + i, ...extra });
}

describe('re-encrypting a share’s records after a rotation', () => {
  it('keeps ids, content and dates, bumps revisions, and uses a fresh item key for every record', () => {
    const oldKey = generateKey();
    const newKey = generateKey();
    const before = [record(1, oldKey, { passwordChangedAt: 150 }), record(2, oldKey, { conflictOf: 'e-9' })];
    const after = reencryptEntries(oldKey, newKey, before);
    expect(after.map((r) => [r.id, r.revision, r.container, r.createdAt, r.updatedAt])).toEqual(before.map((r) => [r.id, r.revision + 1, container, r.createdAt, r.updatedAt]));
    for (const [i, r] of after.entries()) {
      const old = before[i]!;
      expect(openFieldsDated(newKey, r)).toEqual(openFieldsDated(oldKey, old));
      expect(equalBytes(openItemKey(newKey, r), openItemKey(oldKey, old))).toBe(false);
    }
    expect(openOverview(openItemKey(newKey, after[1]!), after[1]!).conflictOf).toBe('e-9');
    expect(openDetails(openItemKey(newKey, after[0]!), after[0]!).passwordChangedAt).toBe(150);
  });

  it('keeps an entry’s earlier passwords in its details half and its trash date in the overview', () => {
    const oldKey = generateKey();
    const history = [{ password: 'earlier-secret', replacedAt: 120 }];
    const newKey = generateKey();
    const [r] = reencryptEntries(oldKey, newKey, [record(1, oldKey, { passwordHistory: history, trashedAt: 170 })]);
    const itemKey = openItemKey(newKey, r!);
    const overview = openOverview(itemKey, r!);
    // The overview is what lists open: no earlier password may be in it, in any form.
    expect(JSON.stringify(overview)).not.toContain('earlier-secret');
    expect(overview.trashedAt).toBe(170);
    expect(openDetails(itemKey, r!).passwordHistory).toEqual(history);
  });

  it('leaves a removed member’s old share key and old item keys opening nothing written afterwards', () => {
    const oldKey = generateKey();
    const newKey = generateKey();
    const before = [record(1, oldKey), record(2, oldKey)];
    // What the removed member kept: the old share key and every old item key.
    const keptItemKeys = before.map((r) => openItemKey(oldKey, r));
    const after = reencryptEntries(oldKey, newKey, before);
    // A later edit, sealed the way the vault seals edits, with the record's (new) item key.
    const edited = sealEntry(newKey, { id: 'e-1', revision: after[0]!.revision + 1, container, fields: { ...emptyEntryFields(), password: 'after-revoke' }, createdAt: 101, updatedAt: 300 }, openItemKey(newKey, after[0]!));
    for (const r of [...after, edited]) {
      expectAppError(() => openItemKey(oldKey, r), 'DECRYPT_FAILED');
      for (const k of keptItemKeys) {
        expectAppError(() => openOverview(k, r), 'DECRYPT_FAILED');
        expectAppError(() => openDetails(k, r), 'DECRYPT_FAILED');
      }
    }
    // Positive control: the old keys did open the records before the rotation.
    expect(openDetails(keptItemKeys[0]!, before[0]!).password).toBe('pw-1-secret');
    expect(openDetails(openItemKey(newKey, edited), edited).password).toBe('after-revoke');
  });
});

describe('records and item keys bound to their share', () => {
  it('refuses a record moved into another container, whatever key opens it', () => {
    const keyA = generateKey();
    const keyB = generateKey();
    const r = record(1, keyA);
    expect(openFieldsDated(keyA, r).fields.title).toBe('Site 1');
    const moved = { ...r, container: 'c-other' };
    expectAppError(() => openItemKey(keyA, moved), 'DECRYPT_FAILED');
    expectAppError(() => openItemKey(keyB, moved), 'DECRYPT_FAILED');
  });

  it('refuses an item key re-wrapped under another share’s key', () => {
    const keyA = generateKey();
    const keyB = generateKey();
    const r = record(1, keyA);
    const itemKey = openItemKey(keyA, r);
    // Someone holding both keys wraps A's item key under B's, naming A or B; A's members open with A's key.
    for (const named of [container, 'c-b']) {
      const rewrapped = { ...r, itemKey: wrapKey(keyB, itemKey, associatedData({ kind: 'item-key', id: r.id, container: named })) };
      expectAppError(() => openItemKey(keyA, rewrapped), 'DECRYPT_FAILED');
    }
    // And under B's key for B's container, the record still names A: B's key does not open it as A's.
    const asB = { ...r, itemKey: wrapKey(keyB, itemKey, associatedData({ kind: 'item-key', id: r.id, container: 'c-b' })) };
    expectAppError(() => openItemKey(keyB, asB), 'DECRYPT_FAILED');
  });
});
