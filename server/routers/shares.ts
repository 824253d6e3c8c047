// Shares (issue 14 step 2, server/SHARES-API.md): create one, read its members, rosters and my keys,
// accept / decline / leave it, and, with grant, add or change members, remove one, or rotate the key.
// Every check is server/containers/access.ts, inside the transaction after the container's lock.
import { acceptShare, leaveShare, removeMember } from '../shares/membership.ts';
import { createShare, getShare } from '../shares/create.ts';
import { createInput, grantInput, removeMemberInput, rotateInput, withContainer } from '../shares/inputs.ts';
import { grantShare, rotateShare } from '../shares/keys.ts';
import { authedProcedure, router } from '../trpc.ts';

export const sharesRouter = router({
  create: authedProcedure.input(createInput).mutation(({ ctx, input }) => createShare(ctx.deps, ctx.session.userId, input)),
  get: authedProcedure.input(withContainer).query(({ ctx, input }) => getShare(ctx.deps, ctx.session.userId, input.container)),
  accept: authedProcedure.input(withContainer).mutation(({ ctx, input }) => acceptShare(ctx.deps, ctx.session.userId, input.container)),
  decline: authedProcedure.input(withContainer).mutation(({ ctx, input }) => leaveShare(ctx.deps, ctx.session.userId, input.container)),
  leave: authedProcedure.input(withContainer).mutation(({ ctx, input }) => leaveShare(ctx.deps, ctx.session.userId, input.container)),
  grant: authedProcedure.input(grantInput).mutation(({ ctx, input }) => grantShare(ctx.deps, ctx.session.userId, input)),
  rotate: authedProcedure.input(rotateInput).mutation(({ ctx, input }) => rotateShare(ctx.deps, ctx.session.userId, input)),
  removeMember: authedProcedure.input(removeMemberInput).mutation(({ ctx, input }) => removeMember(ctx.deps, ctx.session.userId, input.container, input.userId)),
});
