// Who may do what with a container: the one place this is decided (STYLE.md 6). A personal
// container's owner has every right and nobody else has any; a share's rights come from the
// caller's container_members row (its role, end date and acceptance). No access at all answers
// NOT_FOUND, the same answer as an id that does not exist, so container ids reveal nothing; a role
// too weak on a share the caller can see answers FORBIDDEN with the right it needed.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/index.ts';
import { preparedQuery, whenReady, type MaybePromise } from '../db/prepared.ts';
import type { ContainerKind, MemberRole, Schema } from '../db/schema.ts';
import { ServerError } from '../errors.ts';

export type Right = 'read' | 'write' | 'grant';
export type Role = 'owner' | MemberRole;

/** A container as its checks and writes need it, with the caller's role in it. */
export interface Access {
  id: string;
  kind: ContainerKind;
  ownerId: string;
  head: number;
  epoch: number;
  rotationDue: boolean;
  role: Role;
  /** False while a share is offered to the caller and not yet accepted. */
  accepted: boolean;
}

export interface Need {
  right: Right;
  /** An offered (not yet accepted) membership is enough: a share's metadata, never its records. */
  offered?: boolean;
  /** Refuse while the share waits for a key rotation; by default only for 'write'. */
  refuseRotationDue?: boolean;
}

export const RANK: Record<Role, number> = { read: 1, write: 2, grant: 3, owner: 4 };

const containerWithMember = (db: Kysely<Schema>, userId: string, containerId: string) =>
  db
    .selectFrom('containers')
    .leftJoin('container_members', (join) => join.onRef('container_members.container_id', '=', 'containers.id').on('container_members.user_id', '=', userId))
    .select([
      'containers.id',
      'containers.kind',
      'containers.owner_id',
      'containers.head_seq',
      'containers.key_epoch',
      'containers.rotation_due',
      'container_members.role',
      'container_members.expires_at',
      'container_members.accepted_at',
    ])
    .where('containers.id', '=', containerId);

type Row = Awaited<ReturnType<ReturnType<typeof containerWithMember>['execute']>>[number];

/** The caller's role in a container, or null for none (an expired membership gives none). */
function roleOf(row: Row, userId: string, now: number): Role | null {
  if (row.kind === 'personal') return row.owner_id === userId ? 'owner' : null;
  if (!row.role || (row.expires_at !== null && row.expires_at <= now)) return null;
  return row.role;
}

function decide(row: Row | undefined, userId: string, need: Need, now: number): Access {
  const role = row ? roleOf(row, userId, now) : null;
  if (!row || !role) throw containerNotFound();
  const accepted = row.kind === 'personal' || row.accepted_at !== null;
  if (!accepted && !need.offered) {
    throw new ServerError('FORBIDDEN', 'Accept this share first: it is offered to you and not yet in your vault.', { reason: 'not-accepted' });
  }
  if (RANK[role] < RANK[need.right]) {
    throw new ServerError('FORBIDDEN', `Your permission on this share does not allow this (it needs ${need.right}). Ask a member with grant to change it.`, {
      reason: 'role',
      needed: need.right,
    });
  }
  const rotationDue = row.rotation_due === 1;
  if (rotationDue && (need.refuseRotationDue ?? need.right === 'write')) throw rotationDueError();
  return { id: row.id, kind: row.kind, ownerId: row.owner_id, head: row.head_seq, epoch: row.key_epoch, rotationDue, role, accepted };
}

export const containerNotFound = () =>
  new ServerError('NOT_FOUND', 'This vault or share was not found, or you no longer have access to it. Sync again to see what you can reach.');

export const rotationDueError = () =>
  new ServerError('CONFLICT', 'This share is waiting for its key to be replaced after someone left. It opens for changes again once a member with grant has synced.', {
    reason: 'rotation-due',
  });

/**
 * Inside a write transaction, after lockContainer: the container as locked, if the user has the
 * right to it; NOT_FOUND / FORBIDDEN / CONFLICT otherwise. A revoke and a write never interleave.
 */
export async function requireContainer(trx: Transaction<Schema>, userId: string, containerId: string, need: Right | Need, now: number): Promise<Access> {
  const row = await containerWithMember(trx, userId, containerId).executeTakeFirst();
  return decide(row, userId, typeof need === 'string' ? { right: need } : need, now);
}

const containerForRead = preparedQuery((db, userId: string, containerId: string) => containerWithMember(db, userId, containerId), ['sample-user', 'sample-container']);

/**
 * The same check for a read outside a transaction (containerChanges, records), as a prepared
 * statement: synchronous on SQLite, so the direct route of containerChanges stays one.
 */
export function requireReadable(database: Database, userId: string, containerId: string, now: number, need: Need = { right: 'read' }): MaybePromise<Access> {
  return whenReady(containerForRead(database, userId, containerId), (rows) => decide(rows[0], userId, need, now));
}

/**
 * Takes the container's row lock for the rest of the transaction, before any users row (the lock
 * order: containers by ascending id, then users by ascending id). Writes to one container are
 * thereby serialized, so its head never hands out a seq before an earlier one has committed.
 */
export async function lockContainer(database: Database, trx: Transaction<Schema>, containerId: string): Promise<void> {
  if (database.kind === 'postgres') {
    await trx.selectFrom('containers').select('id').where('id', '=', containerId).forUpdate().execute();
  } else {
    // SQLite: an update takes the database's write lock at once (a read would take it only later).
    await trx.updateTable('containers').set((eb) => ({ head_seq: eb.ref('head_seq') })).where('id', '=', containerId).execute();
  }
}

/** Several containers' locks, in ascending id order (vault.move, ending shares between two people). */
export async function lockContainers(database: Database, trx: Transaction<Schema>, containerIds: Iterable<string>): Promise<void> {
  for (const id of [...new Set(containerIds)].sort()) await lockContainer(database, trx, id);
}

/**
 * The users who can read a container: their watermarks move with each of its writes. A personal
 * container's owner; a share's members (offered ones too: their directory shows the share).
 */
export async function readersOf(trx: Transaction<Schema>, access: Pick<Access, 'id' | 'kind' | 'ownerId'>): Promise<string[]> {
  if (access.kind === 'personal') return [access.ownerId];
  const rows = await trx.selectFrom('container_members').select('user_id').where('container_id', '=', access.id).execute();
  return rows.map((r) => r.user_id);
}
