// Fixtures for the shares tests: people connected for sharing, member keys (random bytes of the
// sizes SHARE-CRYPTO.md gives: the server cannot tell them from real sealed keys and grants), and
// shares made and accepted through the API.
import type { Database } from '../../server/db/index.ts';
import { b64, recordId } from './helpers.ts';
import { connect, type User } from './people-fixtures.ts';

export type Role = 'read' | 'write' | 'grant';

export const shareId = () => b64(16);
export const roster = () => b64(600);

export function key(user: User, role: Role, expiresAt?: number) {
  return { userId: user.userId, role, sealedKey: b64(108), grant: b64(520), ...(expiresAt === undefined ? {} : { expiresAt }) };
}

/** Every pair of these people connected for sharing. */
export async function connectAll(users: User[]): Promise<void> {
  for (let i = 0; i < users.length; i++) for (let j = i + 1; j < users.length; j++) await connect(users[i]!, users[j]!, 'sharing');
}

/** owner creates a share with these members (each accepts unless `offered`); returns its id. */
export async function makeShare(owner: User, members: [User, Role][], opts: { offered?: boolean } = {}): Promise<string> {
  const container = shareId();
  await owner.api.shares.create({ container, roster: roster(), keys: [key(owner, 'grant'), ...members.map(([u, r]) => key(u, r))] });
  if (!opts.offered) for (const [u] of members) await u.api.shares.accept({ container });
  return container;
}

/** A new record written into a container by `user` under `epoch`. */
export async function putRecord(user: User, container: string, epoch: number, id = recordId()) {
  const { revision } = await user.api.vault.put({ container, id, baseRevision: 0, keyEpoch: epoch, data: b64(60) });
  return { id, revision };
}

export async function watermark(database: Database, userId: string): Promise<number> {
  return Number((await database.db.selectFrom('users').select('change_seq').where('id', '=', userId).executeTakeFirstOrThrow()).change_seq);
}

export async function storageUsed(database: Database, userId: string): Promise<number> {
  return Number((await database.db.selectFrom('users').select('storage_used').where('id', '=', userId).executeTakeFirstOrThrow()).storage_used);
}
