// Messages (issue 13, server/PEOPLE-API.md): sealed copies sent to a connected person. The server
// stores ciphertext only (header, envelope); the note's 500 characters live inside the envelope, so
// the server enforces sizes only. Only the sender and the recipient see, read or delete a message.
import { z } from 'zod';
import { deleteMessage, getMessage, listMessages, markRead, MESSAGE_MAX_ENVELOPE_BYTES, MESSAGE_MAX_HEADER_BYTES, PAGE_CURSOR_PATTERN, sendMessage, unreadCount } from '../people/messages.ts';
import * as s from '../schemas.ts';
import { authedProcedure, router } from '../trpc.ts';
import { userId } from './people.ts';

const messageId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'A message id is 16 to 64 base64url characters');

const page = z
  .object({
    before: z.string().regex(PAGE_CURSOR_PATTERN, 'The page cursor is not one this server handed out').nullish(),
    limit: z.int('The limit must be a whole number').min(1, 'The limit must be at least 1').max(100, 'The limit must be at most 100').default(50),
  })
  .strict();

export const messagesRouter = router({
  send: authedProcedure
    .input(
      z
        .object({
          id: messageId,
          recipientId: userId,
          header: s.base64url('The message header', 1, MESSAGE_MAX_HEADER_BYTES).nullish(),
          // Up to 1.5 times the limit passes here so that a message over it gets TOO_LARGE, not a parse error.
          envelope: s.base64url('The message', 1, Math.floor(MESSAGE_MAX_ENVELOPE_BYTES * 1.5)),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => sendMessage(ctx.deps, ctx.session.userId, { ...input, header: input.header ?? null })),

  inbox: authedProcedure.input(page.optional()).query(({ ctx, input }) => listMessages(ctx.deps, ctx.session.userId, 'in', input?.before ?? null, input?.limit ?? 50)),
  sent: authedProcedure.input(page.optional()).query(({ ctx, input }) => listMessages(ctx.deps, ctx.session.userId, 'out', input?.before ?? null, input?.limit ?? 50)),

  get: authedProcedure.input(z.object({ id: messageId }).strict()).query(({ ctx, input }) => getMessage(ctx.deps, ctx.session.userId, input.id)),

  markRead: authedProcedure
    .input(z.object({ ids: z.array(messageId).min(1, 'Name at least one message').max(100, 'At most 100 messages at once') }).strict())
    .mutation(({ ctx, input }) => markRead(ctx.deps, ctx.session.userId, input.ids)),

  delete: authedProcedure.input(z.object({ id: messageId }).strict()).mutation(({ ctx, input }) => deleteMessage(ctx.deps, ctx.session.userId, input.id)),

  unreadCount: authedProcedure.input(s.noInput).query(({ ctx }) => unreadCount(ctx.deps, ctx.session.userId)),
});
