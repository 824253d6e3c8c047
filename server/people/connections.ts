// Connections: one row per pair of people (user_a < user_b), of kind 'messages' or 'sharing', with
// at most one pending request to start sharing. Only the two people of a connection see or change
// it; for anyone else the other's id is simply not connected (NOT_FOUND, SECURITY.md 21).
import type { Transaction } from 'kysely';
import { announce, touchUsers } from '../containers/watermarks.ts';
import type { Schema } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { ServerError } from '../errors.ts';
import { endSharesBetween } from '../shares/end.ts';
import { bumpPeopleSeq, notConnected, notifyPeople, pairOf, publicUser, publicUserColumns, type ConnectionKind, type PublicUser } from './common.ts';

export interface Connection extends PublicUser {
  kind: ConnectionKind;
  sharingRequest: 'none' | 'sent' | 'received';
  createdAt: number;
  updatedAt: number;
}

const connectionColumns = ['connections.kind', 'connections.sharing_requested_by', 'connections.created_at', 'connections.updated_at'] as const;

type Row = { id: string; username: string; box_public_key: string; signing_public_key: string; kind: ConnectionKind; sharing_requested_by: string | null; created_at: number; updated_at: number };

function toConnection(userId: string, r: Row): Connection {
  return {
    ...publicUser(r),
    kind: r.kind,
    sharingRequest: r.sharing_requested_by === null ? 'none' : r.sharing_requested_by === userId ? 'sent' : 'received',
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** people.list: every connection of the user, with the other person's current public keys. */
export async function listConnections(deps: Deps, userId: string): Promise<{ connections: Connection[] }> {
  const { db } = deps.database;
  // Two index-friendly halves: where I am user_a (the other is user_b), and the other way round.
  const asA = await db.selectFrom('connections').innerJoin('users', 'users.id', 'connections.user_b').select([...publicUserColumns, ...connectionColumns]).where('connections.user_a', '=', userId).execute();
  const asB = await db.selectFrom('connections').innerJoin('users', 'users.id', 'connections.user_a').select([...publicUserColumns, ...connectionColumns]).where('connections.user_b', '=', userId).execute();
  const connections = [...asA, ...asB].map((r) => toConnection(userId, r)).sort((x, y) => (x.username < y.username ? -1 : x.username > y.username ? 1 : 0));
  return { connections };
}

/** The connection between the user and another person, from the user's side; null when none. */
export async function connectionOf(deps: Deps, userId: string, otherId: string): Promise<Connection | null> {
  const pair = pairOf(userId, otherId);
  const row = await deps.database.db
    .selectFrom('connections')
    .innerJoin('users', 'users.id', otherId === pair.user_a ? 'connections.user_a' : 'connections.user_b')
    .select([...publicUserColumns, ...connectionColumns])
    .where('connections.user_a', '=', pair.user_a)
    .where('connections.user_b', '=', pair.user_b)
    .executeTakeFirst();
  return row ? toConnection(userId, row) : null;
}

/** Inside a transaction: the pair's row, locked on PostgreSQL until the commit; NOT_FOUND when none. */
export async function lockConnection(trx: Transaction<Schema>, deps: Deps, userId: string, otherId: string) {
  const pair = pairOf(userId, otherId);
  let query = trx.selectFrom('connections').select(['kind', 'sharing_requested_by']).where('user_a', '=', pair.user_a).where('user_b', '=', pair.user_b);
  if (deps.database.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row || userId === otherId) throw notConnected();
  return { ...row, pair };
}

type Change = { kind: ConnectionKind; sharing_requested_by: string | null } | null;

/**
 * One change to a connection: decide (from the locked row) what it becomes, store, bump both,
 * notify. A change that ends sharing also ends every share between the two, in the same
 * transaction (after the connection row: connections, then containers, then users).
 */
async function changeConnection(
  deps: Deps,
  userId: string,
  otherId: string,
  decide: (row: { kind: ConnectionKind; sharing_requested_by: string | null }) => Change | 'remove',
): Promise<{ connection: Connection | null; sharesEnded: number }> {
  const now = deps.now();
  const { changed, sharesEnded, watermarks } = await deps.database.db.transaction().execute(async (trx) => {
    const row = await lockConnection(trx, deps, userId, otherId);
    const next = decide(row);
    if (next === null) return { changed: false, sharesEnded: 0, watermarks: new Map<string, number>() };
    const ended = next === 'remove' || next.kind !== 'sharing' ? await endSharesBetween(trx, deps, userId, otherId, now) : null;
    const watermarks = ended && ended.count > 0 ? await touchUsers(deps.database, trx, ended.touched, ended.storage) : new Map<string, number>();
    if (next === 'remove') {
      await trx.deleteFrom('connections').where('user_a', '=', row.pair.user_a).where('user_b', '=', row.pair.user_b).execute();
    } else {
      await trx.updateTable('connections').set({ ...next, updated_at: now }).where('user_a', '=', row.pair.user_a).where('user_b', '=', row.pair.user_b).execute();
    }
    await bumpPeopleSeq(trx, [userId, otherId]);
    return { changed: true, sharesEnded: ended?.count ?? 0, watermarks };
  });
  announce(deps.database, watermarks);
  if (changed) await notifyPeople(deps, [userId, otherId]);
  return { connection: await connectionOf(deps, userId, otherId), sharesEnded };
}

async function mustExist(p: Promise<{ connection: Connection | null; sharesEnded: number }>): Promise<{ connection: Connection; sharesEnded: number }> {
  const { connection, sharesEnded } = await p;
  if (!connection) throw notConnected();
  return { connection, sharesEnded };
}

/** people.requestSharing: ask to share; if they asked already, sharing starts. */
export async function requestSharing(deps: Deps, userId: string, otherId: string): Promise<{ connection: Connection }> {
  const { connection } = await mustExist(
    changeConnection(deps, userId, otherId, (row) => {
      if (row.kind === 'sharing' || row.sharing_requested_by === userId) return null;
      if (row.sharing_requested_by === otherId) return { kind: 'sharing', sharing_requested_by: null };
      return { kind: 'messages', sharing_requested_by: userId };
    }),
  );
  return { connection };
}

/** people.acceptSharing: only when they asked. */
export async function acceptSharing(deps: Deps, userId: string, otherId: string): Promise<{ connection: Connection }> {
  const { connection } = await mustExist(
    changeConnection(deps, userId, otherId, (row) => {
      if (row.kind === 'sharing') return null;
      if (row.sharing_requested_by !== otherId) {
        throw new ServerError('CONFLICT', 'This person has not asked to start sharing. Ask them instead.', { reason: 'no-request' });
      }
      return { kind: 'sharing', sharing_requested_by: null };
    }),
  );
  return { connection };
}

/**
 * people.stopSharing: back to messages only; also declines or withdraws a pending request. Every
 * share between the two ends (sharesEnded counts them).
 */
export function stopSharing(deps: Deps, userId: string, otherId: string): Promise<{ connection: Connection; sharesEnded: number }> {
  return mustExist(
    changeConnection(deps, userId, otherId, (row) =>
      row.kind === 'messages' && row.sharing_requested_by === null ? null : { kind: 'messages', sharing_requested_by: null },
    ),
  );
}

/** people.remove: the connection ends entirely (either side), and every share between the two. */
export async function removeConnection(deps: Deps, userId: string, otherId: string): Promise<{ sharesEnded: number }> {
  const { sharesEnded } = await changeConnection(deps, userId, otherId, () => 'remove');
  return { sharesEnded };
}
