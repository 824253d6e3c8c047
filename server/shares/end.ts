// Shares that end without a grant holder's device: people.stopSharing / people.remove end every
// share between the two people (both ways), and the sweeper ends memberships past their end date.
// Each leaves its share waiting for a key rotation, or deletes it when nobody remains.
import { sql, type Transaction } from 'kysely';
import { lockContainer, lockContainers } from '../containers/access.ts';
import type { Schema } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { changeShares, membersOf, removeMembers } from './store.ts';

export interface EndedShares {
  count: number;
  touched: string[];
  storage: Map<string, number>;
}

/**
 * Inside the connection's transaction (its row locked first): in each share where both are members,
 * the caller removes the other when the caller has grant (and the other did not create it);
 * otherwise the caller leaves.
 */
export async function endSharesBetween(trx: Transaction<Schema>, deps: Deps, me: string, other: string, now: number): Promise<EndedShares> {
  const both = await trx
    .selectFrom('container_members')
    .select('container_id')
    .where('user_id', 'in', [me, other])
    .groupBy('container_id')
    .having(sql<number>`count(*)`, '=', 2)
    .execute();
  const ended: EndedShares = { count: 0, touched: [], storage: new Map() };
  const ids = both.map((r) => r.container_id);
  await lockContainers(deps.database, trx, ids);
  for (const id of ids.sort()) {
    const container = await trx.selectFrom('containers').select(['id', 'owner_id']).where('id', '=', id).executeTakeFirst();
    const members = await membersOf(trx, id);
    const mine = members.get(me);
    if (!container || !mine || !members.has(other)) continue;
    const leaving = mine.role === 'grant' && other !== container.owner_id ? other : me;
    const removal = await removeMembers(trx, { id, ownerId: container.owner_id }, [leaving], now);
    ended.count++;
    ended.touched.push(leaving, ...removal.remaining, ...removal.storage.keys());
    for (const [user, bytes] of removal.storage) ended.storage.set(user, (ended.storage.get(user) ?? 0) + bytes);
  }
  return ended;
}

/** The sweeper: memberships past their end date go, one share per transaction. */
export async function sweepExpiredMemberships(deps: Deps): Promise<void> {
  const now = deps.now();
  const due = await deps.database.db.selectFrom('container_members').select('container_id').distinct().where('expires_at', '<=', now).execute();
  for (const { container_id: id } of due) {
    await changeShares(deps, async (trx) => {
      await lockContainer(deps.database, trx, id);
      const container = await trx.selectFrom('containers').select(['id', 'owner_id']).where('id', '=', id).executeTakeFirst();
      const expired = (await trx.selectFrom('container_members').select('user_id').where('container_id', '=', id).where('expires_at', '<=', now).execute()).map((r) => r.user_id);
      if (!container || expired.length === 0) return { result: undefined, touched: [] };
      const removal = await removeMembers(trx, { id, ownerId: container.owner_id }, expired, now);
      return { result: undefined, touched: [...expired, ...removal.remaining, ...removal.storage.keys()], storage: removal.storage };
    });
  }
}
