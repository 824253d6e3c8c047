// What every change to a share does: one transaction that takes its locks in the one order
// (connection rows, then container rows by ascending id, then users by ascending id), changes
// memberships and keys, and raises the watermark of every affected user before it commits.
import { sql, type Transaction } from 'kysely';
import { announce, touchUsers } from '../containers/watermarks.ts';
import { RECORD_OVERHEAD_BYTES } from '../db/migrations/common.ts';
import type { MemberRole, Schema } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { ServerError } from '../errors.ts';
import type { MemberKey } from './inputs.ts';

export interface ShareChange<T> {
  result: T;
  /** Everyone whose directory changed: their watermarks rise in the same transaction. */
  touched: Iterable<string>;
  /** Storage to give back (negative) or charge, per user. */
  storage?: Map<string, number>;
}

/** Runs `work` in a transaction, then raises the touched users' watermarks and rings their feeds. */
export async function changeShares<T>(deps: Deps, work: (trx: Transaction<Schema>) => Promise<ShareChange<T>>): Promise<T> {
  const { database } = deps;
  const { result, watermarks } = await database.db.transaction().execute(async (trx) => {
    const change = await work(trx);
    return { result: change.result, watermarks: await touchUsers(database, trx, change.touched, change.storage) };
  });
  announce(database, watermarks);
  return result;
}

export const notSharingWith = () =>
  new ServerError('NOT_FOUND', 'You can share only with people you share with (People: start sharing). Nothing was shared.');

/**
 * The connections between `me` and `others` that are of kind 'sharing', read before any container
 * row is locked and held (PostgreSQL: FOR SHARE) to the commit, so people.stopSharing cannot end
 * the connection between this check and the new membership.
 */
export async function sharingConnections(trx: Transaction<Schema>, deps: Deps, me: string, others: string[]): Promise<Set<string>> {
  const ids = [...new Set(others)].filter((id) => id !== me);
  if (ids.length === 0) return new Set();
  const asA = trx.selectFrom('connections').select('user_b as other').where('user_a', '=', me).where('user_b', 'in', ids).where('kind', '=', 'sharing');
  const asB = trx.selectFrom('connections').select('user_a as other').where('user_b', '=', me).where('user_a', 'in', ids).where('kind', '=', 'sharing');
  const locking = deps.database.kind === 'postgres';
  const rows = [...(await (locking ? asA.forShare() : asA).execute()), ...(await (locking ? asB.forShare() : asB).execute())];
  return new Set(rows.map((r) => r.other));
}

/** Refuses unless every one of `userIds` is a sharing connection of `me` (NOT_FOUND, nothing changes). */
export function requireSharing(connections: Set<string>, userIds: Iterable<string>): void {
  for (const id of userIds) if (!connections.has(id)) throw notSharingWith();
}

export interface MemberRow {
  user_id: string;
  role: MemberRole;
  granted_by: string;
  expires_at: number | null;
  accepted_at: number | null;
}

/** The members of a share (the container row is locked). */
export async function membersOf(trx: Transaction<Schema>, containerId: string): Promise<Map<string, MemberRow>> {
  const rows = await trx
    .selectFrom('container_members')
    .select(['user_id', 'role', 'granted_by', 'expires_at', 'accepted_at'])
    .where('container_id', '=', containerId)
    .execute();
  return new Map(rows.map((r) => [r.user_id, r]));
}

/** Stores each member's sealed key and grant for `epoch` (replacing one given before). */
export async function storeKeys(trx: Transaction<Schema>, containerId: string, epoch: number, keys: MemberKey[], signer: string, now: number): Promise<void> {
  for (let i = 0; i < keys.length; i += 200) {
    const rows = keys.slice(i, i + 200).map((k) => ({ container_id: containerId, epoch, user_id: k.userId, sealed_key: k.sealedKey, grant: k.grant, signer, created_at: now }));
    await trx
      .insertInto('share_keys')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['container_id', 'epoch', 'user_id']).doUpdateSet((eb) => ({
          sealed_key: eb.ref('excluded.sealed_key'),
          grant: eb.ref('excluded.grant'),
          signer: eb.ref('excluded.signer'),
          created_at: eb.ref('excluded.created_at'),
        })),
      )
      .execute();
  }
}

/** Adds members (offered; the granter's own row accepted) or changes one's role and end date (acceptance kept). */
export async function upsertMembers(trx: Transaction<Schema>, containerId: string, keys: MemberKey[], grantedBy: string, now: number, existing: Map<string, MemberRow>): Promise<void> {
  for (const k of keys) {
    const before = existing.get(k.userId);
    const expiresAt = k.expiresAt ?? null;
    if (!before) {
      await trx
        .insertInto('container_members')
        .values({ container_id: containerId, user_id: k.userId, role: k.role, granted_by: grantedBy, expires_at: expiresAt, accepted_at: k.userId === grantedBy ? now : null, created_at: now, updated_at: now })
        .execute();
    } else if (before.role !== k.role || before.expires_at !== expiresAt) {
      await trx
        .updateTable('container_members')
        .set({ role: k.role, expires_at: expiresAt, granted_by: grantedBy, updated_at: now })
        .where('container_id', '=', containerId)
        .where('user_id', '=', k.userId)
        .execute();
    }
  }
}

export interface Removal {
  /** The members left after the removal. */
  remaining: string[];
  /** The last member went: the container and its records are gone, their storage given back. */
  deleted: boolean;
  storage: Map<string, number>;
}

/**
 * Ends these memberships (and their keys). If members remain, the share waits for a key rotation
 * (rotation_due); if none do, the container goes with its records and its owner gets the room back.
 */
export async function removeMembers(trx: Transaction<Schema>, container: { id: string; ownerId: string }, userIds: string[], now: number): Promise<Removal> {
  if (userIds.length > 0) {
    await trx.deleteFrom('container_members').where('container_id', '=', container.id).where('user_id', 'in', userIds).execute();
    await trx.deleteFrom('share_keys').where('container_id', '=', container.id).where('user_id', 'in', userIds).execute();
  }
  const remaining = [...(await membersOf(trx, container.id)).keys()];
  if (remaining.length > 0) {
    await trx.updateTable('containers').set({ rotation_due: 1, updated_at: now }).where('id', '=', container.id).execute();
    return { remaining, deleted: false, storage: new Map() };
  }
  const { bytes } = await trx
    .selectFrom('vault_records')
    .select(sql<number>`coalesce(sum(length(id) + length(data) + ${sql.lit(RECORD_OVERHEAD_BYTES)}), 0)`.as('bytes'))
    .where('container_id', '=', container.id)
    .executeTakeFirstOrThrow();
  await trx.deleteFrom('containers').where('id', '=', container.id).execute();
  return { remaining, deleted: true, storage: new Map([[container.ownerId, -Number(bytes)]]) };
}

/** Nobody changes their own role, and nobody but the creator takes the creator's grant away. */
export function requireAllowedChange(me: string, creator: string, key: MemberKey, before: MemberRow | undefined): void {
  if (key.userId === me && before && (before.role !== key.role || before.expires_at !== (key.expiresAt ?? null))) {
    throw new ServerError('FORBIDDEN', 'You cannot change your own permission. Ask another member with grant.', { reason: 'own-role' });
  }
  if (key.userId === creator && me !== creator && (key.role !== 'grant' || key.expiresAt !== undefined)) {
    throw new ServerError('FORBIDDEN', 'The person who created this share keeps grant. Only they can give it up.', { reason: 'creator' });
  }
}

/** End dates lie in the future (by the server's clock). */
export function requireFutureEnds(keys: MemberKey[], now: number): void {
  for (const k of keys) {
    if (k.expiresAt !== undefined && k.expiresAt <= now) throw new ServerError('BAD_INPUT', 'An end date must lie in the future. Nothing was changed.', { userId: k.userId });
  }
}
