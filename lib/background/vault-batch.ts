// Many entries written at once (an import, link pick-ups): every item is validated and checked
// against its stored revision first, so a bad one writes nothing; then they are sealed a chunk at a
// time as the store asks for them (repository.putChunks), so sealing overlaps the database's work.
import type { EntryFields, EntrySummary } from '../model/entry';
import type { EntryRecord } from '../vault/db';
import type { RecordWrite } from '../vault/record-writes';
import { sealWrite } from './entry-write';

/** Entries sealed per chunk: small enough that the store starts early, large enough to batch well. */
export const WRITE_CHUNK = 500;

/** One item, validated, with the entry it changes (opened), if any. */
export interface PreparedWrite {
  fields: EntryFields;
  existing?: { record: EntryRecord; itemKey: Uint8Array };
}

export interface SealedWrite {
  record: EntryRecord;
  itemKey: Uint8Array;
  summary: EntrySummary;
}

/**
 * Seals `items` a chunk at a time, as the caller pulls them; every sealed entry is also pushed onto
 * `sealed` (for the vault's memory once the transaction commits), and `onProgress` hears how many
 * are sealed and handed to the store so far.
 */
export function* sealInChunks(
  key: Uint8Array,
  items: PreparedWrite[],
  opts: { container: string; at: number; sealed: SealedWrite[]; onProgress?: (written: number) => void; chunk?: number },
): Generator<RecordWrite[]> {
  const size = opts.chunk ?? WRITE_CHUNK;
  for (let i = 0; i < items.length; i += size) {
    const out: RecordWrite[] = [];
    for (const { fields, existing } of items.slice(i, i + size)) {
      const sealed = sealWrite(key, fields, existing, opts.at, opts.container);
      out.push({ record: sealed.record, expectedRevision: existing?.record.revision ?? 0 });
      opts.sealed.push(sealed);
    }
    yield out;
    opts.onProgress?.(Math.min(items.length, i + size));
  }
}
