// Link shares (issue 12, LINKS-API.md). The creator's procedures are authed and scoped to the
// session's user; the recipient's are public mutations (POST), so a link preview fetches nothing
// and spends nothing. Binary values are base64url strings.
import { z } from 'zod';
import { LINK_ID_PATTERN, LINK_MAX_ENTRIES, LINK_MAX_META_CHARS, LINK_MAX_PAYLOAD_CHARS } from '../../lib/sharing/link-format.ts';
import { linkMetadata, requestLinkCode, revealLink } from '../links/pickup.ts';
import { sendLinkEmail } from '../links/mail.ts';
import { createLink, listLinks, revokeLink } from '../links/store.ts';
import * as s from '../schemas.ts';
import { authedProcedure, publicProcedure, router } from '../trpc.ts';

const linkId = z.string().regex(LINK_ID_PATTERN, 'A link id is 22 base64url characters (16 bytes)');
const tag = (what: string) => s.base64url(what, 32);
const noControl = /^[^\p{Cc}]*$/u;

const kdf = z.object({
  salt: s.base64url('The link salt', 16),
  memoryKib: z.int().min(s.MIN_KDF.memoryKiB, 'Argon2id memory must be at least 64 MiB').max(1024 * 1024, 'Argon2id memory must be at most 1 GiB'),
  passes: z.int().min(s.MIN_KDF.passes, 'Argon2id needs at least 3 passes').max(20, 'Argon2id passes must be at most 20'),
  lanes: z.int().min(1).max(16, 'Argon2id lanes must be at most 16'),
});

const createInput = z
  .object({
    id: linkId,
    lookupTag: tag('The lookup tag'),
    proof: tag('The proof'),
    serverShare: tag('The server share'),
    meta: s.base64url('The sealed meta', 1, Math.floor((LINK_MAX_META_CHARS * 3) / 4)),
    payload: z
      .string()
      .max(LINK_MAX_PAYLOAD_CHARS, 'The sealed entries are larger than 256 KiB: share fewer entries, or leave the notes out')
      .pipe(s.base64url('The sealed payload', 1, LINK_MAX_PAYLOAD_CHARS)),
    protection: z.enum(['none', 'pin', 'passphrase'], 'Protection must be none, pin or passphrase'),
    kdf: kdf.nullable(),
    maxUses: z.int('Uses must be a whole number').min(1, 'A link opens at least once').max(100, 'A link opens at most 100 times').default(1),
    expiresAt: z.int('The expiry must be a time in milliseconds').min(0, 'The expiry must be a time in milliseconds'),
    maxAttempts: z.int('Wrong attempts must be a whole number').min(3, 'At least 3 wrong attempts').max(20, 'At most 20 wrong attempts').nullable().optional(),
    recordIds: z.array(s.recordId).min(1, 'A link carries at least one entry').max(LINK_MAX_ENTRIES, `A link carries at most ${LINK_MAX_ENTRIES} entries`),
    emails: z.array(s.email).max(10, 'At most 10 email addresses').optional(),
  })
  .strict()
  // Default attempts: a PIN always 3, a passphrase 10, no protection none.
  .transform((v) => ({ ...v, maxAttempts: v.maxAttempts === undefined ? (v.protection === 'pin' ? 3 : v.protection === 'passphrase' ? 10 : null) : v.maxAttempts }));

const pickupInput = { id: linkId, lookupTag: tag('The lookup tag') };

export const linksRouter = router({
  create: authedProcedure.input(createInput).mutation(({ ctx, input }) => createLink(ctx.deps, ctx.session.userId, input)),

  list: authedProcedure.input(s.noInput).query(({ ctx }) => listLinks(ctx.deps, ctx.session.userId)),

  revoke: authedProcedure.input(z.object({ id: linkId }).strict()).mutation(async ({ ctx, input }) => {
    await revokeLink(ctx.deps, ctx.session.userId, input.id);
    return {};
  }),

  sendEmail: authedProcedure
    .input(
      z
        .object({
          id: linkId,
          to: s.email,
          senderName: z.string().trim().min(1, 'Say whose name the email is from').max(100, 'The sender name must be at most 100 characters').regex(noControl, 'The sender name cannot contain control characters'),
          note: z
            .string()
            .max(500, 'The note must be at most 500 characters')
            .regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, 'The note cannot contain control characters'),
          url: z.string().max(2048, 'The link is too long'),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => sendLinkEmail(ctx.deps, ctx.session.userId, input)),

  metadata: publicProcedure.input(z.object(pickupInput).strict()).mutation(({ ctx, input }) => linkMetadata(ctx.deps, ctx.ip, input)),

  requestCode: publicProcedure
    .input(z.object({ ...pickupInput, email: s.email }).strict())
    .mutation(({ ctx, input }) => requestLinkCode(ctx.deps, ctx.ip, input)),

  reveal: publicProcedure
    .input(
      z
        .object({
          ...pickupInput,
          proof: tag('The proof'),
          emailCode: z.object({ email: s.email, code: s.emailCode }).strict().optional(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => revealLink(ctx.deps, ctx.ip, input)),
});
