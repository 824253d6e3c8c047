// The personal vault: opaque ciphertext records with a revision each, and a per-user change
// sequence that is the sync cursor. Every function takes the owner's id from the session, never
// from input, and every query is scoped to it: that is the authorization for this resource kind.
import { sql, type Transaction } from 'kysely';
import type { Database } from './db/index.ts';
import { RECORD_OVERHEAD_BYTES } from './db/migrations.ts';
import { preparedQuery } from './db/prepared.ts';
import type { Schema, VaultRecordRow } from './db/schema.ts';
import { ServerError } from './errors.ts';
import { endLinksOfRecords } from './links/store.ts';

export interface VaultRecord {
  id: string;
  revision: number;
  data: string;
  deleted: boolean;
  updatedAt: number;
}

export interface RecordPut {
  id: string;
  /** The revision the client's edit started from; 0 for a new record. */
  baseRevision: number;
  data: string;
  deleted?: boolean;
}

export type PutResult =
  | { id: string; status: 'ok'; revision: number; cursor: number }
  | { id: string; status: 'conflict'; current: VaultRecord | null };

/** A page of changes stops after about this much ciphertext, whatever the limit says. */
export const MAX_PAGE_DATA_CHARS = 4 * 1024 * 1024;

const recordColumns = ['id', 'revision', 'data', 'deleted', 'updated_at'] as const;
type RecordColumns = Pick<VaultRecordRow, (typeof recordColumns)[number]>;

const toRecord = (r: RecordColumns): VaultRecord => ({
  id: r.id,
  revision: r.revision,
  data: r.data,
  deleted: r.deleted === 1,
  updatedAt: r.updated_at,
});

export interface Changes {
  records: VaultRecord[];
  cursor: number;
  more: boolean;
}

export async function changesSince(database: Database, userId: string, cursor: number, limit: number): Promise<Changes> {
  // First the sizes only (the index answers an empty page without touching a record), then the
  // ciphertext of as many records as fit the page.
  const sizes = await recordSizesAfter(database, userId, cursor, limit + 1);
  if (sizes.length === 0) return { records: [], cursor, more: false };
  let take = 0;
  let total = 0;
  for (const row of sizes.slice(0, limit)) {
    if (take > 0 && total + row.size > MAX_PAGE_DATA_CHARS) break;
    total += row.size;
    take++;
  }
  const lastSeq = sizes[take - 1]!.seq;
  const rows = await recordsBetween(database, userId, cursor, lastSeq);
  return { records: rows.map(toRecord), cursor: lastSeq, more: sizes.length > take };
}

/** The records of one page (seq in (cursor, lastSeq]), prepared like the sizes before it. */
const recordsBetween = preparedQuery(
  (db, userId: string, cursor: number, lastSeq: number) =>
    db.selectFrom('vault_records').select(recordColumns).where('user_id', '=', userId).where('seq', '>', cursor).where('seq', '<=', lastSeq).orderBy('seq'),
  ['sample-user', 7, 9],
);

/**
 * changesSince for a caller that read the account's head (users.change_seq) along with its session:
 * putRecords raises the head in the same transaction as it writes records, so no record has a seq
 * above it, and a cursor at or past the head (the idle poll) needs no query at all.
 */
export function changesAfterHead(database: Database, userId: string, head: number, cursor: number, limit: number): Changes | Promise<Changes> {
  if (head <= cursor) return { records: [], cursor, more: false };
  return changesSince(database, userId, cursor, limit);
}

// The limit is written into the SQL rather than bound: SQLite re-plans (re-parses) a statement on
// every run when a bound value feeds LIMIT, which tripled the cost of this query. Clients use one
// or two page sizes, so there are only a few of these statements.
const sizesQueryByLimit = new Map<number, ReturnType<typeof sizesQuery>>();
const sizesQuery = (limit: number) =>
  preparedQuery(
    (db, userId: string, cursor: number) =>
      db
        .selectFrom('vault_records')
        .select(['seq', sql<number>`length(data)`.as('size')])
        .where('user_id', '=', userId)
        .where('seq', '>', cursor)
        .orderBy('seq')
        .limit(sql.lit(limit)),
    ['sample-user', 7],
  );

function recordSizesAfter(database: Database, userId: string, cursor: number, limit: number) {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error('limit must be a positive integer');
  let query = sizesQueryByLimit.get(limit);
  if (!query) sizesQueryByLimit.set(limit, (query = sizesQuery(limit)));
  return query(database, userId, cursor);
}

const userCursor = preparedQuery((db, userId: string) => db.selectFrom('users').select('change_seq').where('id', '=', userId), ['sample-user']);

export async function currentCursor(database: Database, userId: string): Promise<number> {
  return (await userCursor(database, userId))[0]?.change_seq ?? 0;
}

/**
 * Lock the user's row for the rest of the transaction and read the cursor and the storage used.
 * One user's writes are thereby serialized, so a cursor is never handed out before an earlier one
 * has committed (a client that read up to cursor N can never later find a change numbered below
 * N), and two writes cannot both fit in the quota's last megabyte.
 */
async function lockAccount(database: Database, trx: Transaction<Schema>, userId: string): Promise<{ change_seq: number; storage_used: number }> {
  return database.kind === 'postgres'
    ? await trx.selectFrom('users').select(['change_seq', 'storage_used']).where('id', '=', userId).forUpdate().executeTakeFirstOrThrow()
    : // SQLite: an update takes the database's write lock at once (a read would take it only later).
      await trx
        .updateTable('users')
        .set({ change_seq: sql<number>`change_seq` })
        .where('id', '=', userId)
        .returning(['change_seq', 'storage_used'])
        .executeTakeFirstOrThrow();
}

/** What a record takes from the quota: its ciphertext and id as stored, and the row around them. */
export const recordBytes = (id: string, data: string) => id.length + data.length + RECORD_OVERHEAD_BYTES;

/** Refuses a write that would take the account past its quota; shrinking is always allowed. */
function requireRoom(used: number, growth: number, quotaBytes: number): void {
  if (growth <= 0 || used + growth <= quotaBytes) return;
  const mib = (n: number) => (n / (1024 * 1024)).toFixed(1);
  throw new ServerError(
    'TOO_LARGE',
    `This would take your account past its storage quota (${mib(used)} of ${mib(quotaBytes)} MiB used). Nothing was saved. Delete entries you no longer need, or ask the server's operator for more room.`,
    { reason: 'quota', usedBytes: used, limitBytes: quotaBytes, neededBytes: growth },
  );
}

/**
 * Apply the writes whose baseRevision matches the stored revision, in one transaction; the others
 * come back as conflicts with the current record so the client can merge.
 */
export async function putRecords(
  database: Database,
  userId: string,
  puts: RecordPut[],
  now: number,
  quotaBytes: number,
): Promise<{ results: PutResult[]; cursor: number }> {
  const { db, feed } = database;
  const outcome = await db.transaction().execute(async (trx) => {
    const account = await lockAccount(database, trx, userId);
    let seq = account.change_seq;
    let growth = 0;
    const existing = await trx
      .selectFrom('vault_records')
      .select(recordColumns)
      .where('user_id', '=', userId)
      .where(
        'id',
        'in',
        puts.map((p) => p.id),
      )
      .execute();
    const current = new Map(existing.map((r) => [r.id, r]));
    const results: PutResult[] = [];
    const rows: VaultRecordRow[] = [];
    for (const put of puts) {
      const stored = current.get(put.id);
      const storedRevision = stored?.revision ?? 0;
      if (put.baseRevision !== storedRevision) {
        results.push({ id: put.id, status: 'conflict', current: stored ? toRecord(stored) : null });
        continue;
      }
      seq += 1;
      const revision = storedRevision + 1;
      // A deleted record keeps its id and revision (a tombstone) but not its ciphertext.
      const data = put.deleted ? '' : put.data;
      growth += recordBytes(put.id, data) - (stored ? recordBytes(stored.id, stored.data) : 0);
      rows.push({ user_id: userId, id: put.id, revision, seq, deleted: put.deleted ? 1 : 0, data, updated_at: now });
      results.push({ id: put.id, status: 'ok', revision, cursor: seq });
    }
    if (rows.length > 0) {
      requireRoom(account.storage_used, growth, quotaBytes);
      await trx
        .insertInto('vault_records')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(['user_id', 'id']).doUpdateSet((eb) => ({
            revision: eb.ref('excluded.revision'),
            seq: eb.ref('excluded.seq'),
            deleted: eb.ref('excluded.deleted'),
            data: eb.ref('excluded.data'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
      // Every record's seq is at most the head: changesAfterHead relies on it.
      await trx
        .updateTable('users')
        .set({ change_seq: seq, storage_used: account.storage_used + growth })
        .where('id', '=', userId)
        .execute();
      // A deleted entry takes its link shares with it (the copy in each is deleted at once).
      await endLinksOfRecords(trx, userId, rows.filter((r) => r.deleted === 1).map((r) => r.id), now);
      await feed.publishInTransaction(trx, userId, seq);
    }
    return { results, cursor: seq, wrote: rows.length > 0 };
  });
  if (outcome.wrote) feed.committed(userId, outcome.cursor);
  return { results: outcome.results, cursor: outcome.cursor };
}

export function conflictError(current: VaultRecord | null): ServerError {
  return new ServerError(
    'CONFLICT',
    current
      ? 'This entry was changed on another device. Merge the changes and save again.'
      : 'This entry is not on the server. Save it again as a new entry.',
    { current },
  );
}

/** Records by id, the owner's only (ids of other users simply are not found). */
export async function recordsById(database: Database, userId: string, ids: string[]): Promise<VaultRecord[]> {
  if (ids.length === 0) return [];
  const rows = await database.db.selectFrom('vault_records').select(recordColumns).where('user_id', '=', userId).where('id', 'in', ids).execute();
  return rows.map(toRecord);
}

export interface VaultSnapshot {
  data: string;
  updatedAt: number;
}

export async function getSnapshot(database: Database, userId: string): Promise<VaultSnapshot | null> {
  const row = await database.db.selectFrom('vault_snapshots').select(['data', 'updated_at']).where('user_id', '=', userId).executeTakeFirst();
  return row ? { data: row.data, updatedAt: Number(row.updated_at) } : null;
}

/** Replaces the user's snapshot as a whole; the newest upload wins. It counts toward the quota. */
export async function putSnapshot(database: Database, userId: string, data: string, now: number, quotaBytes: number): Promise<{ updatedAt: number }> {
  await database.db.transaction().execute(async (trx) => {
    const account = await lockAccount(database, trx, userId);
    const old = await trx
      .selectFrom('vault_snapshots')
      .select(sql<number>`length(data)`.as('size'))
      .where('user_id', '=', userId)
      .executeTakeFirst();
    const growth = data.length - (old?.size ?? 0);
    requireRoom(account.storage_used, growth, quotaBytes);
    await trx
      .insertInto('vault_snapshots')
      .values({ user_id: userId, data, updated_at: now })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ data, updated_at: now }))
      .execute();
    await trx.updateTable('users').set({ storage_used: account.storage_used + growth }).where('id', '=', userId).execute();
  });
  return { updatedAt: now };
}
