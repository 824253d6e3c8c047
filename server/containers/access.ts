// Who may do what with a container: the one place this is decided (STYLE.md 6). In step 1 of issue
// 14 only personal containers exist, and their owner has every right. Anyone else gets NOT_FOUND,
// the same answer as an id that does not exist, so container ids reveal nothing.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/index.ts';
import { preparedQuery, whenReady, type MaybePromise } from '../db/prepared.ts';
import type { ContainerKind, Schema } from '../db/schema.ts';
import { ServerError } from '../errors.ts';

export type Right = 'read' | 'write' | 'grant';
export type Role = 'owner' | Right;

/** A container as its checks and writes need it, with the caller's role in it. */
export interface Access {
  id: string;
  kind: ContainerKind;
  ownerId: string;
  head: number;
  epoch: number;
  role: Role;
}

const RANK: Record<Role, number> = { read: 1, write: 2, grant: 3, owner: 4 };

const containerById = (db: Kysely<Schema>, containerId: string) =>
  db.selectFrom('containers').select(['id', 'kind', 'owner_id', 'head_seq', 'key_epoch']).where('id', '=', containerId);

type ContainerColumns = Awaited<ReturnType<ReturnType<typeof containerById>['execute']>>[number];

/** The caller's role in a container, or null for none. Step 1: the owner, and nobody else. */
function roleOf(container: ContainerColumns, userId: string): Role | null {
  return container.owner_id === userId ? 'owner' : null;
}

function decide(container: ContainerColumns | undefined, userId: string, right: Right): Access {
  const role = container ? roleOf(container, userId) : null;
  if (!container || !role || RANK[role] < RANK[right]) throw containerNotFound();
  return { id: container.id, kind: container.kind, ownerId: container.owner_id, head: container.head_seq, epoch: container.key_epoch, role };
}

export const containerNotFound = () =>
  new ServerError('NOT_FOUND', 'This vault or share was not found, or you no longer have access to it. Sync again to see what you can reach.');

/**
 * Inside a write transaction, after lockContainer: the container as locked, if the user has
 * `right` to it; NOT_FOUND otherwise. A revoke and a write thereby never interleave.
 */
export async function requireContainer(trx: Transaction<Schema>, userId: string, containerId: string, right: Right): Promise<Access> {
  return decide(await containerById(trx, containerId).executeTakeFirst(), userId, right);
}

const containerForRead = preparedQuery((db, containerId: string) => containerById(db, containerId), ['sample-container']);

/**
 * The same check for a read outside a transaction (containerChanges, records), as a prepared
 * statement: synchronous on SQLite, so the direct route of containerChanges stays one.
 */
export function requireReadable(database: Database, userId: string, containerId: string): MaybePromise<Access> {
  return whenReady(containerForRead(database, containerId), (rows) => decide(rows[0], userId, 'read'));
}

/**
 * Takes the container's row lock for the rest of the transaction, before any users row (the lock
 * order: containers, then users by ascending id). Writes to one container are thereby serialized,
 * so its head never hands out a seq before an earlier one has committed.
 */
export async function lockContainer(database: Database, trx: Transaction<Schema>, containerId: string): Promise<void> {
  if (database.kind === 'postgres') {
    await trx.selectFrom('containers').select('id').where('id', '=', containerId).forUpdate().execute();
  } else {
    // SQLite: an update takes the database's write lock at once (a read would take it only later).
    await trx.updateTable('containers').set((eb) => ({ head_seq: eb.ref('head_seq') })).where('id', '=', containerId).execute();
  }
}

/** The users who can read a container: their watermarks move with each of its writes. Step 1: the owner. */
export function readersOf(access: Access): string[] {
  return [access.ownerId];
}
