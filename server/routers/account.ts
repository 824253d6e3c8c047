// Accounts and sessions: pre-login, register, email confirmation, login, logout, change of master
// password.
import { z } from 'zod';
import {
  authKeyMatches,
  decoySalt,
  hashAuthKey,
  newId,
  requireStrongKdf,
  reserveSignIn,
  wrongPassword,
} from '../accounts.ts';
import { changeEmail, resendEmailCode } from '../email-codes.ts';
import { ServerError } from '../errors.ts';
import { confirmEmail, register } from '../registration.ts';
import * as s from '../schemas.ts';
import { createSession, endingSessions } from '../sessions.ts';
import { authedProcedure, publicProcedure, router } from '../trpc.ts';

const DECOY_AUTH_SALT = newId();

const kdfOf = (u: { kdf_memory_kib: number; kdf_passes: number; kdf_lanes: number }) => ({
  algorithm: 'argon2id' as const,
  memoryKiB: u.kdf_memory_kib,
  passes: u.kdf_passes,
  lanes: u.kdf_lanes,
});

export const accountRouter = router({
  /** Key-derivation parameters and salt for a username; an unknown one gets a stable decoy. */
  preLogin: publicProcedure.input(z.object({ username: s.username })).query(async ({ ctx, input }) => {
    const user = await ctx.deps.database.db
      .selectFrom('users')
      .select(['kdf_memory_kib', 'kdf_passes', 'kdf_lanes', 'kdf_salt'])
      .where('username', '=', input.username)
      .executeTakeFirst();
    if (user) return { kdf: kdfOf(user), salt: user.kdf_salt };
    return { kdf: { ...s.DEFAULT_KDF }, salt: decoySalt(ctx.deps, input.username) };
  }),

  register: publicProcedure
    .input(
      z.object({
        username: s.username,
        email: s.email,
        authKey: s.authKey,
        salt: s.kdfSalt,
        kdf: s.kdfParams,
        wrappedUserKey: s.wrappedUserKey,
        identity: s.identity,
        deviceName: s.deviceName.optional(),
      }),
    )
    .mutation(({ ctx, input }) => register(ctx.deps, ctx.ip, input)),

  /** The code mailed to the account's email at registration: marks that email confirmed. */
  confirmEmail: authedProcedure
    .input(z.object({ code: s.emailCode }))
    .mutation(({ ctx, input }) => confirmEmail(ctx.deps, ctx.session.userId, input.code)),

  /** A fresh code to the account's unconfirmed email (rate-limited); a no-op once it is confirmed. */
  resendEmailCode: authedProcedure
    .input(s.noInput)
    .mutation(({ ctx }) => resendEmailCode(ctx.deps, ctx.session.userId, ctx.ip)),

  /** Another address for an account whose email is not confirmed yet, and a code to it. */
  changeEmail: authedProcedure
    .input(z.object({ email: s.email }))
    .mutation(({ ctx, input }) => changeEmail(ctx.deps, ctx.session.userId, ctx.ip, input.email)),

  login: publicProcedure
    .input(z.object({ username: s.username, authKey: s.authKey, deviceName: s.deviceName.optional() }))
    .mutation(async ({ ctx, input }) => {
      const { deps } = ctx;
      const attempt = await reserveSignIn(deps, input.username, ctx.ip);
      const user = await deps.database.db
        .selectFrom('users')
        .select([
          'id',
          'auth_hash',
          'auth_salt',
          'kdf_memory_kib',
          'kdf_passes',
          'kdf_lanes',
          'kdf_salt',
          'wrapped_user_key',
          'box_public_key',
          'signing_public_key',
          'sealed_private_keys',
        ])
        .where('username', '=', input.username)
        .executeTakeFirst();
      if (!user) {
        hashAuthKey(input.authKey, DECOY_AUTH_SALT); // the same work as a real check
        throw wrongPassword();
      }
      if (!authKeyMatches(input.authKey, user.auth_salt, user.auth_hash)) throw wrongPassword();
      const session = await deps.database.db.transaction().execute(async (trx) => {
        await attempt.succeeded(trx);
        return createSession(trx, deps, user.id, input.deviceName ?? null);
      });
      return {
        token: session.token,
        userId: user.id,
        expiresAt: session.expiresAt,
        salt: user.kdf_salt,
        kdf: kdfOf(user),
        wrappedUserKey: user.wrapped_user_key,
        identity: {
          boxPublicKey: user.box_public_key,
          signingPublicKey: user.signing_public_key,
          sealedPrivateKeys: user.sealed_private_keys,
        },
      };
    }),

  logout: authedProcedure.input(s.noInput).mutation(async ({ ctx }) => {
    await endingSessions(ctx.deps.database, ctx.session.userId, (trx) =>
      trx.deleteFrom('sessions').where('token_hash', '=', ctx.session.tokenHash).execute(),
    );
  }),

  logoutEverywhere: authedProcedure.input(s.noInput).mutation(async ({ ctx }) => {
    const result = await endingSessions(ctx.deps.database, ctx.session.userId, (trx) =>
      trx.deleteFrom('sessions').where('user_id', '=', ctx.session.userId).executeTakeFirst(),
    );
    return { sessionsEnded: Number(result.numDeletedRows) };
  }),

  me: authedProcedure.input(s.noInput).query(async ({ ctx }) => {
    const user = await ctx.deps.database.db
      .selectFrom('users')
      .select(['id', 'username', 'email', 'email_confirmed', 'created_at', 'change_seq', 'storage_used'])
      .where('id', '=', ctx.session.userId)
      .executeTakeFirstOrThrow();
    return {
      userId: user.id,
      username: user.username,
      email: user.email,
      emailConfirmed: user.email_confirmed === 1,
      createdAt: user.created_at,
      cursor: user.change_seq,
      storage: { usedBytes: user.storage_used, limitBytes: ctx.deps.config.storageQuotaBytes },
      session: { deviceName: ctx.session.deviceName, createdAt: ctx.session.createdAt, expiresAt: ctx.session.expiresAt },
    };
  }),

  /** Re-wraps the user key under a new master password; every other session ends. */
  changePassword: authedProcedure
    .input(
      z.object({
        authKey: s.authKey,
        newAuthKey: s.authKey,
        newSalt: s.kdfSalt,
        newKdf: s.kdfParams,
        newWrappedUserKey: s.wrappedUserKey,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      requireStrongKdf(input.newKdf);
      const { deps, session } = ctx;
      const { db } = deps.database;
      const user = await db
        .selectFrom('users')
        .select(['username', 'auth_hash', 'auth_salt'])
        .where('id', '=', session.userId)
        .executeTakeFirstOrThrow();
      const attempt = await reserveSignIn(deps, user.username, ctx.ip);
      if (!authKeyMatches(input.authKey, user.auth_salt, user.auth_hash)) {
        throw new ServerError('WRONG_PASSWORD', 'The current master password is wrong. Nothing was changed.');
      }
      const authSalt = newId();
      const ended = await endingSessions(deps.database, session.userId, async (trx) => {
        await attempt.succeeded(trx);
        await trx
          .updateTable('users')
          .set({
            auth_hash: hashAuthKey(input.newAuthKey, authSalt),
            auth_salt: authSalt,
            kdf_memory_kib: input.newKdf.memoryKiB,
            kdf_passes: input.newKdf.passes,
            kdf_lanes: input.newKdf.lanes,
            kdf_salt: input.newSalt,
            wrapped_user_key: input.newWrappedUserKey,
            updated_at: deps.now(),
          })
          .where('id', '=', session.userId)
          .execute();
        const result = await trx
          .deleteFrom('sessions')
          .where('user_id', '=', session.userId)
          .where('token_hash', '!=', session.tokenHash)
          .executeTakeFirst();
        return Number(result.numDeletedRows);
      });
      return { sessionsEnded: ended };
    }),
});
