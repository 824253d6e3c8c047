// People (issue 13, server/PEOPLE-API.md): exact lookup, invitations by id or email, connections of
// kind 'messages' or 'sharing'. Every procedure is authed and scoped to the session's user; another
// person's ids give NOT_FOUND unless the two are connected or one invited the other.
import { z } from 'zod';
import { lookupPerson } from '../people/lookup.ts';
import { acceptSharing, listConnections, removeConnection, requestSharing, stopSharing } from '../people/connections.ts';
import { acceptInvitation, endInvitation, invite, listInvitations } from '../people/invitations.ts';
import * as s from '../schemas.ts';
import { authedProcedure, router } from '../trpc.ts';

/** Account ids are 16 random bytes, base64url (accounts.ts newId). */
export const userId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'A user id is 16 to 64 base64url characters');
const invitationId = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'An invitation id is 22 base64url characters');
const kind = z.enum(['messages', 'sharing'], 'The kind of connection is messages or sharing');

const byUserOrEmail = <T extends z.ZodRawShape>(extra: T) =>
  z.union([z.object({ userId, ...extra }).strict(), z.object({ email: s.email, ...extra }).strict()], 'Give exactly one of userId or email');

const withUser = z.object({ userId }).strict();
const withInvitation = z.object({ id: invitationId }).strict();

export const peopleRouter = router({
  /** POST, so an address never sits in a URL. By email the answer is always { user: null }. */
  lookup: authedProcedure
    .input(z.union([z.object({ username: s.username }).strict(), z.object({ email: s.email }).strict()], 'Give exactly one of username or email'))
    .mutation(({ ctx, input }) => lookupPerson(ctx.deps, ctx.session.userId, input)),

  invite: authedProcedure
    .input(byUserOrEmail({ kind: kind.default('messages') }))
    .mutation(({ ctx, input }) => invite(ctx.deps, ctx.session.userId, input)),

  invitations: authedProcedure.input(s.noInput).query(({ ctx }) => listInvitations(ctx.deps, ctx.session.userId)),

  acceptInvitation: authedProcedure.input(withInvitation).mutation(({ ctx, input }) => acceptInvitation(ctx.deps, ctx.session.userId, input.id)),
  declineInvitation: authedProcedure.input(withInvitation).mutation(({ ctx, input }) => endInvitation(ctx.deps, ctx.session.userId, input.id, 'invitee')),
  cancelInvitation: authedProcedure.input(withInvitation).mutation(({ ctx, input }) => endInvitation(ctx.deps, ctx.session.userId, input.id, 'inviter')),

  list: authedProcedure.input(s.noInput).query(({ ctx }) => listConnections(ctx.deps, ctx.session.userId)),

  requestSharing: authedProcedure.input(withUser).mutation(({ ctx, input }) => requestSharing(ctx.deps, ctx.session.userId, input.userId)),
  acceptSharing: authedProcedure.input(withUser).mutation(({ ctx, input }) => acceptSharing(ctx.deps, ctx.session.userId, input.userId)),
  stopSharing: authedProcedure.input(withUser).mutation(({ ctx, input }) => stopSharing(ctx.deps, ctx.session.userId, input.userId)),
  remove: authedProcedure.input(withUser).mutation(({ ctx, input }) => removeConnection(ctx.deps, ctx.session.userId, input.userId)),
});
