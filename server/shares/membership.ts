// A member's own way in and out of a share (accept, decline, leave) and a grant holder's removal of
// another member. Ending a membership leaves the share waiting for a key rotation (the one who left
// held the current key), or deletes it with its records when nobody remains.
import type { Transaction } from 'kysely';
import { containerNotFound, lockContainer, requireContainer } from '../containers/access.ts';
import type { Schema } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { ServerError } from '../errors.ts';
import { changeShares, membersOf, removeMembers } from './store.ts';

/** The share locked, and the caller's access to it: any membership for 'read', an accepted grant for 'grant'. */
async function lockedShare(deps: Deps, trx: Transaction<Schema>, me: string, containerId: string, right: 'read' | 'grant') {
  await lockContainer(deps.database, trx, containerId);
  const access = await requireContainer(trx, me, containerId, { right, offered: right === 'read', refuseRotationDue: false }, deps.now());
  // A personal container has no members to accept, leave or remove.
  if (access.kind !== 'share') throw containerNotFound();
  return access;
}

/** shares.accept: an offered share enters the member's vault (their directory shows it accepted). */
export function acceptShare(deps: Deps, me: string, containerId: string): Promise<Record<string, never>> {
  const now = deps.now();
  return changeShares(deps, async (trx) => {
    const access = await lockedShare(deps, trx, me, containerId, 'read');
    if (access.accepted) return { result: {}, touched: [] };
    await trx.updateTable('container_members').set({ accepted_at: now, updated_at: now }).where('container_id', '=', containerId).where('user_id', '=', me).execute();
    return { result: {}, touched: [me] };
  });
}

/** shares.decline and shares.leave: the caller's membership ends, offered or accepted. */
export function leaveShare(deps: Deps, me: string, containerId: string): Promise<Record<string, never>> {
  const now = deps.now();
  return changeShares(deps, async (trx) => {
    const access = await lockedShare(deps, trx, me, containerId, 'read');
    const removal = await removeMembers(trx, access, [me], now);
    return { result: {}, touched: [me, ...removal.remaining, ...removal.storage.keys()], storage: removal.storage };
  });
}

/** shares.removeMember: a member with grant removes another at once; the share waits for a rotation. */
export function removeMember(deps: Deps, me: string, containerId: string, userId: string): Promise<Record<string, never>> {
  if (userId === me) return leaveShare(deps, me, containerId);
  const now = deps.now();
  return changeShares(deps, async (trx) => {
    const access = await lockedShare(deps, trx, me, containerId, 'grant');
    const members = await membersOf(trx, containerId);
    if (!members.has(userId)) throw new ServerError('NOT_FOUND', 'This person is not a member of this share. Sync again to see its members.');
    if (userId === access.ownerId) {
      throw new ServerError('FORBIDDEN', 'The person who created this share keeps grant. Only they can give it up.', { reason: 'creator' });
    }
    const removal = await removeMembers(trx, access, [userId], now);
    return { result: {}, touched: [userId, ...removal.remaining, ...removal.storage.keys()] };
  });
}
