// Making a share and reading it: shares.create (the creator with grant, accepted at once; the
// others offered, each a sharing connection of the creator) and shares.get (its members, every
// epoch's roster, and the caller's own sealed keys), for members whether offered or accepted.
import { requireReadable, containerNotFound } from '../containers/access.ts';
import { isUniqueViolation } from '../db/index.ts';
import type { MemberRole } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { ServerError } from '../errors.ts';
import { publicUser, type PublicUser } from '../people/common.ts';
import type { MemberKey } from './inputs.ts';
import { changeShares, requireFutureEnds, requireSharing, sharingConnections, storeKeys, upsertMembers } from './store.ts';

const exists = () => new ServerError('CONFLICT', 'A share with this id exists already. Nothing was created.', { reason: 'exists' });

export async function createShare(deps: Deps, me: string, input: { container: string; roster: string; keys: MemberKey[] }): Promise<{ container: string; epoch: number }> {
  const now = deps.now();
  const mine = input.keys.find((k) => k.userId === me);
  if (!mine || mine.role !== 'grant' || mine.expiresAt !== undefined) {
    throw new ServerError('BAD_INPUT', 'The creator of a share is one of its members, with grant and no end date. Nothing was created.');
  }
  requireFutureEnds(input.keys, now);
  const others = input.keys.map((k) => k.userId).filter((id) => id !== me);
  try {
    return await changeShares(deps, async (trx) => {
      requireSharing(await sharingConnections(trx, deps, me, others), others);
      const taken = await trx.selectFrom('containers').select('id').where('id', '=', input.container).executeTakeFirst();
      if (taken) throw exists();
      await trx
        .insertInto('containers')
        .values({ id: input.container, kind: 'share', owner_id: me, key_epoch: 1, rotation_due: 0, created_at: now, updated_at: now })
        .execute();
      await upsertMembers(trx, input.container, input.keys, me, now, new Map());
      await trx.insertInto('share_rosters').values({ container_id: input.container, epoch: 1, roster: input.roster, signer: me, created_at: now }).execute();
      await storeKeys(trx, input.container, 1, input.keys, me, now);
      return { result: { container: input.container, epoch: 1 }, touched: input.keys.map((k) => k.userId) };
    });
  } catch (e) {
    // Two creations of one id at once: the second finds the first's row at its insert.
    if (isUniqueViolation(e)) throw exists();
    throw e;
  }
}

export interface ShareMember extends PublicUser {
  role: MemberRole;
  grantedBy: string;
  expiresAt: number | null;
  acceptedAt: number | null;
}

export interface ShareView {
  container: string;
  epoch: number;
  rotationDue: boolean;
  ownerId: string;
  members: ShareMember[];
  rosters: { epoch: number; roster: string }[];
  myKeys: { epoch: number; sealedKey: string; grant: string }[];
}

/** shares.get: what a member (offered or accepted) needs to verify the share and open its keys. */
export async function getShare(deps: Deps, me: string, containerId: string): Promise<ShareView> {
  const now = deps.now();
  const { db } = deps.database;
  return db.transaction().execute(async (trx) => {
    const access = await requireReadable(deps.database, me, containerId, now, { right: 'read', offered: true });
    if (access.kind !== 'share') throw containerNotFound();
    const members = await trx
      .selectFrom('container_members')
      .innerJoin('users', 'users.id', 'container_members.user_id')
      .select(['users.id', 'users.username', 'users.box_public_key', 'users.signing_public_key', 'container_members.role', 'container_members.granted_by', 'container_members.expires_at', 'container_members.accepted_at'])
      .where('container_members.container_id', '=', containerId)
      .orderBy('users.id')
      .execute();
    const rosters = await trx.selectFrom('share_rosters').select(['epoch', 'roster']).where('container_id', '=', containerId).orderBy('epoch').execute();
    const keys = await trx
      .selectFrom('share_keys')
      .select(['epoch', 'sealed_key', 'grant'])
      .where('container_id', '=', containerId)
      .where('user_id', '=', me)
      .orderBy('epoch')
      .execute();
    return {
      container: access.id,
      epoch: access.epoch,
      rotationDue: access.rotationDue,
      ownerId: access.ownerId,
      members: members
        .filter((m) => m.expires_at === null || m.expires_at > now)
        .map((m) => ({ ...publicUser(m), role: m.role, grantedBy: m.granted_by, expiresAt: m.expires_at, acceptedAt: m.accepted_at })),
      rosters,
      myKeys: keys.map((k) => ({ epoch: k.epoch, sealedKey: k.sealed_key, grant: k.grant })),
    };
  });
}
