// Invitations: by user id, or by email. An email invitation is attached to an account only when a
// confirmed account has the address (at once) or when an account confirms it later
// (attachEmailInvitations, from account.confirmEmail); never to an unconfirmed address. The inviter
// of an email invitation sees only the address until the invitee accepts, so the answers never
// tell which addresses have accounts. Every query is scoped to the session's user (SECURITY.md 21).
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import { isUniqueViolation } from '../db/index.ts';
import type { Schema } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { ServerError } from '../errors.ts';
import { rateLimited, reserveAttempt } from '../rate-limit.ts';
import { bad, bumpPeopleSeq, invitationNotFound, notifyPeople, pairOf, publicUser, publicUserColumns, type ConnectionKind, type PublicUser } from './common.ts';
import { connectionOf, type Connection } from './connections.ts';
import { mailInvitationToAccount, mailInvitationToAddress } from './mail.ts';

const DAY = 24 * 60 * 60_000;
/** How long an invitation waits (also for an address to get an account). */
export const INVITATION_TTL_MS = 30 * DAY;

export interface IncomingInvitation {
  id: string;
  from: PublicUser;
  kind: ConnectionKind;
  viaEmail: boolean;
  createdAt: number;
  expiresAt: number;
}

export interface OutgoingInvitation {
  id: string;
  kind: ConnectionKind;
  createdAt: number;
  expiresAt: number;
  to: PublicUser | { email: string };
}

export type InviteInput = ({ userId: string } | { email: string }) & { kind: ConnectionKind };

const newInvitationId = () => randomBytes(16).toString('base64url');

const pendingConflict = (invitationId: string) =>
  new ServerError('CONFLICT', 'You invited them already; the invitation is waiting for their answer.', { reason: 'pending', invitationId });

/** Limits every new invitation passes, inside the transaction that stores it. */
async function requireInviteSlot(trx: Transaction<Schema>, deps: Deps, userId: string, now: number): Promise<void> {
  const { maxPendingInvitations, invitePerAccount } = deps.config.peopleLimits;
  // Expired but not yet swept: out of the way of the unique indexes (one pending per invitee).
  await trx.deleteFrom('invitations').where('from_user_id', '=', userId).where('expires_at', '<=', now).execute();
  const pending = await trx
    .selectFrom('invitations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('from_user_id', '=', userId)
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  if (Number(pending.n) >= maxPendingInvitations) {
    throw new ServerError('RATE_LIMITED', `You have ${maxPendingInvitations} invitations waiting for an answer. Cancel some before inviting more.`, {
      retryAfterSeconds: 3600,
    });
  }
  const slot = await reserveAttempt(trx, `people-invite:${userId}`, invitePerAccount, now);
  if (!slot.allowed) throw rateLimited('You sent many invitations in a short time.', slot.retryAfterMs);
}

async function usernameOf(deps: Deps, userId: string): Promise<string> {
  return (await deps.database.db.selectFrom('users').select('username').where('id', '=', userId).executeTakeFirstOrThrow()).username;
}

/** people.invite */
export async function invite(deps: Deps, userId: string, input: InviteInput): Promise<{ invitation: OutgoingInvitation }> {
  return 'userId' in input ? inviteUser(deps, userId, input.userId, input.kind) : inviteEmail(deps, userId, input.email, input.kind);
}

async function inviteUser(deps: Deps, userId: string, targetId: string, kind: ConnectionKind): Promise<{ invitation: OutgoingInvitation }> {
  if (targetId === userId) throw bad('You cannot invite yourself.');
  const now = deps.now();
  const id = newInvitationId();
  const { db } = deps.database;
  let target: PublicUser;
  try {
    target = await db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('users').select(publicUserColumns).where('id', '=', targetId).executeTakeFirst();
      if (!row) throw new ServerError('NOT_FOUND', 'There is no such person. Look them up by their exact username, or invite their email address.');
      const connected = await trx.selectFrom('connections').select('kind').where('user_a', '=', pairOf(userId, targetId).user_a).where('user_b', '=', pairOf(userId, targetId).user_b).executeTakeFirst();
      if (connected) throw new ServerError('CONFLICT', 'You are already connected with this person.', { reason: 'connected' });
      const mine = await trx.selectFrom('invitations').select('id').where('from_user_id', '=', userId).where('to_user_id', '=', targetId).where('to_email', 'is', null).where('expires_at', '>', now).executeTakeFirst();
      if (mine) throw pendingConflict(mine.id);
      const theirs = await trx.selectFrom('invitations').select('id').where('from_user_id', '=', targetId).where('to_user_id', '=', userId).where('expires_at', '>', now).executeTakeFirst();
      if (theirs) {
        throw new ServerError('CONFLICT', 'This person has invited you already: accept their invitation instead.', { reason: 'invited-you', invitationId: theirs.id });
      }
      await requireInviteSlot(trx, deps, userId, now);
      await trx.insertInto('invitations').values({ id, from_user_id: userId, to_user_id: targetId, to_email: null, kind, created_at: now, expires_at: now + INVITATION_TTL_MS }).execute();
      await bumpPeopleSeq(trx, [userId, targetId]);
      return publicUser(row);
    });
  } catch (e) {
    // Two invitations to the same person at once: one is stored (invitations_once_by_user).
    if (isUniqueViolation(e)) throw new ServerError('CONFLICT', 'You invited them already; the invitation is waiting for their answer.', { reason: 'pending' });
    throw e;
  }
  await notifyPeople(deps, [userId, targetId]);
  mailInvitationToAccount(deps, targetId, await usernameOf(deps, userId));
  return { invitation: { id, kind, createdAt: now, expiresAt: now + INVITATION_TTL_MS, to: target } };
}

async function inviteEmail(deps: Deps, userId: string, email: string, kind: ConnectionKind): Promise<{ invitation: OutgoingInvitation }> {
  const now = deps.now();
  const id = newInvitationId();
  const { db } = deps.database;
  let owner: string | null;
  try {
    owner = await db.transaction().execute(async (trx) => {
      const me = await trx.selectFrom('users').select(['email', 'email_confirmed']).where('id', '=', userId).executeTakeFirstOrThrow();
      if (me.email_confirmed === 1 && me.email === email) throw bad('That is your own email address. Invite someone else’s.');
      const mine = await trx.selectFrom('invitations').select('id').where('from_user_id', '=', userId).where('to_email', '=', email).where('expires_at', '>', now).executeTakeFirst();
      if (mine) throw pendingConflict(mine.id);
      await requireInviteSlot(trx, deps, userId, now);
      // Only a confirmed address routes to an account; the answer is the same either way.
      const account = await trx.selectFrom('users').select('id').where('email', '=', email).where('email_confirmed', '=', 1).executeTakeFirst();
      const to = account && account.id !== userId ? account.id : null;
      await trx.insertInto('invitations').values({ id, from_user_id: userId, to_user_id: to, to_email: email, kind, created_at: now, expires_at: now + INVITATION_TTL_MS }).execute();
      await bumpPeopleSeq(trx, [userId, to ?? userId]);
      return to;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new ServerError('CONFLICT', 'You invited this address already; the invitation is waiting for an answer.', { reason: 'pending' });
    throw e;
  }
  // Two notifications either way (the inviter twice when no account has the address): the same
  // statements whatever the address, on PostgreSQL too.
  for (const id of [userId, owner ?? userId]) await deps.database.feed.peopleChanged(deps.database.db, id);
  const inviter = await usernameOf(deps, userId);
  if (owner) mailInvitationToAccount(deps, owner, inviter);
  else mailInvitationToAddress(deps, email, inviter);
  return { invitation: { id, kind, createdAt: now, expiresAt: now + INVITATION_TTL_MS, to: { email } } };
}

/** people.invitations: the pending, unexpired ones, both ways, newest first. */
export async function listInvitations(deps: Deps, userId: string): Promise<{ incoming: IncomingInvitation[]; outgoing: OutgoingInvitation[] }> {
  const { db } = deps.database;
  const now = deps.now();
  const incoming = await db
    .selectFrom('invitations')
    .innerJoin('users', 'users.id', 'invitations.from_user_id')
    .select(['invitations.id as invitation_id', 'invitations.kind', 'invitations.to_email', 'invitations.created_at', 'invitations.expires_at', ...publicUserColumns])
    .where('invitations.to_user_id', '=', userId)
    .where('invitations.expires_at', '>', now)
    .orderBy('invitations.created_at', 'desc')
    .orderBy('invitations.id')
    .execute();
  const outgoing = await db
    .selectFrom('invitations')
    .leftJoin('users', 'users.id', 'invitations.to_user_id')
    .select(['invitations.id as invitation_id', 'invitations.kind', 'invitations.to_email', 'invitations.created_at', 'invitations.expires_at', ...publicUserColumns])
    .where('invitations.from_user_id', '=', userId)
    .where('invitations.expires_at', '>', now)
    .orderBy('invitations.created_at', 'desc')
    .orderBy('invitations.id')
    .execute();
  return {
    incoming: incoming.map((r) => ({
      id: r.invitation_id,
      from: publicUser(r),
      kind: r.kind,
      viaEmail: r.to_email !== null,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
    })),
    outgoing: outgoing.map((r) => ({
      id: r.invitation_id,
      kind: r.kind,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      // By email: the address only, whether or not (and whoever) it reached.
      to: r.to_email !== null || r.id === null ? { email: r.to_email ?? '' } : publicUser({ id: r.id, username: r.username!, box_public_key: r.box_public_key!, signing_public_key: r.signing_public_key! }),
    })),
  };
}

/** people.acceptInvitation: only the invitee; connects (or keeps the connection) and clears every invitation between the two. */
export async function acceptInvitation(deps: Deps, userId: string, id: string): Promise<{ connection: Connection }> {
  const now = deps.now();
  const { db } = deps.database;
  const inviter = await db.transaction().execute(async (trx) => {
    const inv = await trx.selectFrom('invitations').select(['from_user_id', 'kind']).where('id', '=', id).where('to_user_id', '=', userId).where('expires_at', '>', now).executeTakeFirst();
    if (!inv) throw invitationNotFound();
    const pair = pairOf(userId, inv.from_user_id);
    await trx
      .insertInto('connections')
      .values({ ...pair, kind: inv.kind, sharing_requested_by: null, created_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(['user_a', 'user_b']).doNothing())
      .execute();
    await trx
      .deleteFrom('invitations')
      .where((eb) =>
        eb.or([
          eb.and([eb('from_user_id', '=', userId), eb('to_user_id', '=', inv.from_user_id)]),
          eb.and([eb('from_user_id', '=', inv.from_user_id), eb('to_user_id', '=', userId)]),
        ]),
      )
      .execute();
    await bumpPeopleSeq(trx, [userId, inv.from_user_id]);
    return inv.from_user_id;
  });
  await notifyPeople(deps, [userId, inviter]);
  const connection = await connectionOf(deps, userId, inviter);
  if (!connection) throw invitationNotFound();
  return { connection };
}

/** people.declineInvitation (the invitee) and people.cancelInvitation (the inviter). */
export async function endInvitation(deps: Deps, userId: string, id: string, side: 'invitee' | 'inviter'): Promise<Record<string, never>> {
  const row = await deps.database.db.transaction().execute(async (trx) => {
    const deleted = await trx
      .deleteFrom('invitations')
      .where('id', '=', id)
      .where(side === 'invitee' ? 'to_user_id' : 'from_user_id', '=', userId)
      .returning(['from_user_id', 'to_user_id'])
      .executeTakeFirst();
    if (!deleted) throw invitationNotFound();
    const involved = [deleted.from_user_id, ...(deleted.to_user_id ? [deleted.to_user_id] : [])];
    await bumpPeopleSeq(trx, involved);
    return involved;
  });
  await notifyPeople(deps, row);
  return {};
}

/**
 * Inside account.confirmEmail's transaction: the invitations waiting for this address now reach
 * this account. The inviters hear nothing (their list still shows only the address).
 */
export async function attachEmailInvitations(trx: Transaction<Schema>, userId: string, email: string, now: number): Promise<number> {
  const result = await trx
    .updateTable('invitations')
    .set({ to_user_id: userId })
    .where('to_email', '=', email)
    .where('to_user_id', 'is', null)
    .where('from_user_id', '!=', userId)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  const attached = Number(result.numUpdatedRows);
  if (attached > 0) await bumpPeopleSeq(trx, [userId]);
  return attached;
}

/** The sweeper's part: expired invitations go. */
export async function sweepInvitations(deps: Deps): Promise<number> {
  const result = await deps.database.db.deleteFrom('invitations').where('expires_at', '<=', deps.now()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
