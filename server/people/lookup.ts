// people.lookup: an exact username gives that person's public face (id, username, public keys);
// an email gives nothing, ever, after the same statements whatever the address, so a lookup never tells whether an
// address has an account. Both count towards one per-account limit.
import type { Deps } from '../deps.ts';
import { rateLimited, reserveAttempt } from '../rate-limit.ts';
import { publicUser, publicUserColumns, type PublicUser } from './common.ts';

export type LookupInput = { username: string } | { email: string };

export async function lookupPerson(deps: Deps, userId: string, input: LookupInput): Promise<{ user: PublicUser | null }> {
  const { db } = deps.database;
  const slot = await reserveAttempt(db, `people-lookup:${userId}`, deps.config.peopleLimits.lookupPerAccount, deps.now());
  if (!slot.allowed) throw rateLimited('You looked up many people in a short time.', slot.retryAfterMs);
  if (!('username' in input)) return { user: null };
  const row = await db.selectFrom('users').select(publicUserColumns).where('username', '=', input.username).executeTakeFirst();
  return { user: row ? publicUser(row) : null };
}
