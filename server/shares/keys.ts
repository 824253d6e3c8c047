// A grant holder's changes to who holds the key: shares.grant (more members, or another role or end
// date, under the current epoch's key) and shares.rotate (a new epoch: the members become exactly
// those given keys, and the share opens for writes again).
import type { Transaction } from 'kysely';
import { containerNotFound, lockContainer, requireContainer, rotationDueError, type Access } from '../containers/access.ts';
import type { Schema } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { ServerError } from '../errors.ts';
import { MAX_MEMBERS, type MemberKey } from './inputs.ts';
import { changeShares, membersOf, requireAllowedChange, requireFutureEnds, requireSharing, sharingConnections, storeKeys, upsertMembers } from './store.ts';

export const staleEpoch = (epoch: number) =>
  new ServerError('CONFLICT', 'This share’s key was replaced in the meantime. Sync, then try again.', { reason: 'stale-epoch', epoch });

const tooMany = () => new ServerError('BAD_INPUT', `A share has at most ${MAX_MEMBERS} members. Nothing was changed.`);

/** Locks (connections, then the container) and the grant check both calls start with. */
async function lockForGrant(deps: Deps, trx: Transaction<Schema>, me: string, containerId: string, keys: MemberKey[]): Promise<{ access: Access; connections: Set<string> }> {
  const connections = await sharingConnections(trx, deps, me, keys.map((k) => k.userId));
  await lockContainer(deps.database, trx, containerId);
  const access = await requireContainer(trx, me, containerId, { right: 'grant', refuseRotationDue: false }, deps.now());
  if (access.kind !== 'share') throw containerNotFound();
  return { access, connections };
}

export function grantShare(deps: Deps, me: string, input: { container: string; epoch: number; keys: MemberKey[] }): Promise<Record<string, never>> {
  const now = deps.now();
  requireFutureEnds(input.keys, now);
  return changeShares(deps, async (trx) => {
    const { access, connections } = await lockForGrant(deps, trx, me, input.container, input.keys);
    // The current key is known to whoever left: it goes to nobody new until it is replaced.
    if (access.rotationDue) throw rotationDueError();
    if (input.epoch !== access.epoch) throw staleEpoch(access.epoch);
    const members = await membersOf(trx, input.container);
    for (const k of input.keys) requireAllowedChange(me, access.ownerId, k, members.get(k.userId));
    const added = input.keys.filter((k) => !members.has(k.userId)).map((k) => k.userId);
    requireSharing(connections, added);
    if (members.size + added.length > MAX_MEMBERS) throw tooMany();
    await upsertMembers(trx, input.container, input.keys, me, now, members);
    await storeKeys(trx, input.container, access.epoch, input.keys, me, now);
    return { result: {}, touched: input.keys.map((k) => k.userId) };
  });
}

export function rotateShare(deps: Deps, me: string, input: { container: string; fromEpoch: number; roster: string; keys: MemberKey[] }): Promise<{ epoch: number }> {
  const now = deps.now();
  requireFutureEnds(input.keys, now);
  return changeShares(deps, async (trx) => {
    const { access, connections } = await lockForGrant(deps, trx, me, input.container, input.keys);
    if (input.fromEpoch !== access.epoch) throw staleEpoch(access.epoch);
    const members = await membersOf(trx, input.container);
    if (!input.keys.some((k) => k.userId === me)) {
      throw new ServerError('BAD_INPUT', 'The one who replaces a share’s key stays a member (to leave, use leave). Nothing was changed.');
    }
    // The creator, while still a member, keeps grant through every rotation by someone else.
    if (members.has(access.ownerId) && me !== access.ownerId && !input.keys.some((k) => k.userId === access.ownerId)) {
      throw new ServerError('FORBIDDEN', 'The person who created this share keeps grant. Only they can give it up.', { reason: 'creator' });
    }
    for (const k of input.keys) requireAllowedChange(me, access.ownerId, k, members.get(k.userId));
    requireSharing(connections, input.keys.filter((k) => !members.has(k.userId)).map((k) => k.userId));
    const kept = new Set(input.keys.map((k) => k.userId));
    const removed = [...members.keys()].filter((id) => !kept.has(id));
    if (removed.length > 0) {
      await trx.deleteFrom('container_members').where('container_id', '=', input.container).where('user_id', 'in', removed).execute();
      await trx.deleteFrom('share_keys').where('container_id', '=', input.container).where('user_id', 'in', removed).execute();
    }
    await upsertMembers(trx, input.container, input.keys, me, now, members);
    const epoch = access.epoch + 1;
    await trx.insertInto('share_rosters').values({ container_id: input.container, epoch, roster: input.roster, signer: me, created_at: now }).execute();
    await storeKeys(trx, input.container, epoch, input.keys, me, now);
    await trx.updateTable('containers').set({ key_epoch: epoch, rotation_due: 0, updated_at: now }).where('id', '=', input.container).execute();
    return { result: { epoch }, touched: [...members.keys(), ...kept] };
  });
}
