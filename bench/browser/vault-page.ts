// Runs in Chromium: lib/vault's own decrypt of N sealed entries, without IndexedDB or messaging,
// and lib/vault/search's index (buildListing) over the summaries: the floor under vault.list.
import { generateKey } from '../../lib/crypto/keys';
import { emptyEntryFields } from '../../lib/model/entry';
import type { EntryRecord } from '../../lib/vault/db';
import { openItemKey, openOverview, sealEntry } from '../../lib/vault/entry-crypto';
import { buildListing } from '../../lib/vault/search';
import { generateEntries } from '../lib/entries';

let key = generateKey();
let records: EntryRecord[] = [];

function prepare(count: number): number {
  key = generateKey();
  const t = Date.now();
  records = generateEntries(count).map((e, i) => {
    const id = `bench-${i.toString(36).padStart(8, '0')}`;
    const fields = { ...emptyEntryFields(), title: e.title, username: e.username, password: e.password, urls: [e.url], notes: e.notes, tags: e.tags, folder: e.folder };
    return sealEntry(key, { id, revision: 1, container: 'personal', fields, createdAt: t, updatedAt: t });
  });
  return records.length;
}

function decryptAll(): { decryptMs: number; indexMs: number; count: number } {
  const t0 = performance.now();
  const summaries = records.map((r) => {
    const itemKey = openItemKey(key, r);
    const o = openOverview(itemKey, r);
    return { id: r.id, revision: r.revision, updatedAt: r.updatedAt, ...o };
  });
  const t1 = performance.now();
  const listing = buildListing(summaries);
  const t2 = performance.now();
  return { decryptMs: t1 - t0, indexMs: t2 - t1, count: listing.items.length };
}

(globalThis as { benchVault?: unknown }).benchVault = { prepare, decryptAll };
document.title = 'ready';
