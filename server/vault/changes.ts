// Reading a container's records: pages of changes after a cursor (the container's seq), and
// particular records by id. Every read passes the container's access check first.
import { sql } from 'kysely';
import { requireReadable } from '../containers/access.ts';
import type { Database } from '../db/index.ts';
import { preparedQuery, whenReady, type MaybePromise } from '../db/prepared.ts';
import { recordColumns, toRecord, type VaultRecord } from './records.ts';

/** A page of changes stops after about this much ciphertext, whatever the limit says. */
export const MAX_PAGE_DATA_CHARS = 4 * 1024 * 1024;

export interface Changes {
  records: VaultRecord[];
  cursor: number;
  more: boolean;
}

/**
 * vault.containerChanges: the records of a container the user can read, written after `cursor`,
 * oldest first. The access check reads the container's head too, so a cursor at or past it needs
 * no other query: putRecords raises the head in the same transaction as it writes records.
 */
export function containerChanges(database: Database, userId: string, containerId: string, cursor: number, limit: number, now: number): MaybePromise<Changes> {
  return whenReady(requireReadable(database, userId, containerId, now), (container) =>
    container.head <= cursor ? { records: [], cursor, more: false } : changesSince(database, containerId, cursor, limit),
  );
}

async function changesSince(database: Database, containerId: string, cursor: number, limit: number): Promise<Changes> {
  // First the sizes only (the index answers an empty page without touching a record), then the
  // ciphertext of as many records as fit the page.
  const sizes = await recordSizesAfter(database, containerId, cursor, limit + 1);
  if (sizes.length === 0) return { records: [], cursor, more: false };
  let take = 0;
  let total = 0;
  for (const row of sizes.slice(0, limit)) {
    if (take > 0 && total + row.size > MAX_PAGE_DATA_CHARS) break;
    total += row.size;
    take++;
  }
  const lastSeq = sizes[take - 1]!.seq;
  const rows = await recordsBetween(database, containerId, cursor, lastSeq);
  return { records: rows.map(toRecord), cursor: lastSeq, more: sizes.length > take };
}

/** The records of one page (seq in (cursor, lastSeq]), prepared like the sizes before it. */
const recordsBetween = preparedQuery(
  (db, containerId: string, cursor: number, lastSeq: number) =>
    db
      .selectFrom('vault_records')
      .select(recordColumns)
      .where('container_id', '=', containerId)
      .where('seq', '>', cursor)
      .where('seq', '<=', lastSeq)
      .orderBy('seq'),
  ['sample-container', 7, 9],
);

// The limit is written into the SQL rather than bound: SQLite re-plans (re-parses) a statement on
// every run when a bound value feeds LIMIT, which tripled the cost of this query. Clients use one
// or two page sizes, so there are only a few of these statements.
const sizesQueryByLimit = new Map<number, ReturnType<typeof sizesQuery>>();
const sizesQuery = (limit: number) =>
  preparedQuery(
    (db, containerId: string, cursor: number) =>
      db
        .selectFrom('vault_records')
        .select(['seq', sql<number>`length(data)`.as('size')])
        .where('container_id', '=', containerId)
        .where('seq', '>', cursor)
        .orderBy('seq')
        .limit(sql.lit(limit)),
    ['sample-container', 7],
  );

function recordSizesAfter(database: Database, containerId: string, cursor: number, limit: number) {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error('limit must be a positive integer');
  let query = sizesQueryByLimit.get(limit);
  if (!query) sizesQueryByLimit.set(limit, (query = sizesQuery(limit)));
  return query(database, containerId, cursor);
}

/** vault.records: particular records of a container the user can read. */
export async function recordsById(database: Database, userId: string, containerId: string, ids: string[], now: number): Promise<VaultRecord[]> {
  await requireReadable(database, userId, containerId, now);
  if (ids.length === 0) return [];
  const rows = await database.db.selectFrom('vault_records').select(recordColumns).where('container_id', '=', containerId).where('id', 'in', ids).execute();
  return rows.map(toRecord);
}
