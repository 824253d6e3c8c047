// What the people and messages code shares: the one shape of a person the server may show, the
// pair order of a connection row, the NOT_FOUND answers that say the same for "not yours" and
// "does not exist" (SECURITY.md 21), and the people_seq bump that wakes live streams.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ConnectionKind, Schema } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { ServerError } from '../errors.ts';

/** Everything the server ever reveals about an account to another person. */
export interface PublicUser {
  userId: string;
  username: string;
  boxPublicKey: string;
  signingPublicKey: string;
}

export const publicUserColumns = ['users.id', 'users.username', 'users.box_public_key', 'users.signing_public_key'] as const;

export function publicUser(row: { id: string; username: string; box_public_key: string; signing_public_key: string }): PublicUser {
  return { userId: row.id, username: row.username, boxPublicKey: row.box_public_key, signingPublicKey: row.signing_public_key };
}

/** A connection row's key: the smaller id first. */
export function pairOf(a: string, b: string): { user_a: string; user_b: string } {
  return a < b ? { user_a: a, user_b: b } : { user_a: b, user_b: a };
}

export type { ConnectionKind };

export const notConnected = () =>
  new ServerError('NOT_FOUND', 'You are not connected with this person. Invite them first, or ask them to accept your invitation.');

export const invitationNotFound = () =>
  new ServerError('NOT_FOUND', 'There is no such invitation among yours: it was accepted, declined, cancelled or has expired.');

export const messageNotFound = () => new ServerError('NOT_FOUND', 'There is no such message among yours: it was deleted or never existed.');

export const bad = (message: string, details?: Record<string, unknown>) => new ServerError('BAD_INPUT', message, details);

/** Inside the write transaction: every user named moves their people_seq on. */
export async function bumpPeopleSeq(trx: Kysely<Schema> | Transaction<Schema>, userIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return;
  await trx.updateTable('users').set({ people_seq: sql<number>`people_seq + 1` }).where('id', 'in', ids).execute();
}

/** After the commit: their live streams (every process) re-read people_seq. */
export async function notifyPeople(deps: Deps, userIds: Iterable<string>): Promise<void> {
  for (const id of new Set(userIds)) await deps.database.feed.peopleChanged(deps.database.db, id);
}
