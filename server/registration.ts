// Registration and email confirmation. The answer to a registration never says whether its email
// belongs to someone: the address is stored unconfirmed and mail goes out after the answer (a
// confirmation code, or to a confirmed owner a notice instead). Only confirmed emails are unique
// (users_confirmed_email). Registrations are rate-limited per client address (IPv6: per /64), so
// usernames can only be probed that slowly.
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { addressKey } from './client-address.ts';
import { isUniqueViolation } from './db/index.ts';
import type { Deps } from './deps.ts';
import { ServerError } from './errors.ts';
import { hashAuthKey, newId, requireStrongKdf } from './accounts.ts';
import { notifyPeople } from './people/common.ts';
import { attachEmailInvitations } from './people/invitations.ts';
import { rateLimited, remember, reserveAttempt } from './rate-limit.ts';
import type { KdfParams } from './schemas.ts';
import { createSession } from './sessions.ts';

const HOUR = 60 * 60_000;
/** How long a mailed confirmation code works. */
export const EMAIL_CODE_TTL_MS = 24 * HOUR;
/** Wrong codes per account per hour. Eight digits: 10 guesses an hour find one in ten million. */
const CONFIRM_ATTEMPTS = { max: 10, windowMs: HOUR };

export interface Registration {
  username: string;
  email: string;
  authKey: string;
  salt: string;
  kdf: KdfParams;
  wrappedUserKey: string;
  identity: { boxPublicKey: string; signingPublicKey: string; sealedPrivateKeys: string };
  deviceName?: string;
}

export function codeHash(deps: Deps, userId: string, code: string): string {
  return createHmac('sha256', deps.preloginSecret).update(`email-code\0${userId}\0${code}`).digest('base64url');
}

export async function register(deps: Deps, ip: string, input: Registration): Promise<{ token: string; userId: string; expiresAt: number }> {
  requireStrongKdf(input.kdf);
  const now = deps.now();
  const address = addressKey(ip);
  const slot = await reserveAttempt(deps.database.db, `register-address:${address}`, deps.config.registrationLimit, now);
  if (!slot.allowed) throw rateLimited('Too many accounts were created from your network address.', slot.retryAfterMs);

  const userId = newId();
  const authSalt = newId();
  const code = newEmailCode();
  let session: { token: string; expiresAt: number };
  try {
    session = await deps.database.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('users')
        .values({
          id: userId,
          username: input.username,
          email: input.email,
          email_code_hash: codeHash(deps, userId, code),
          email_code_expires_at: now + EMAIL_CODE_TTL_MS,
          auth_hash: hashAuthKey(input.authKey, authSalt),
          auth_salt: authSalt,
          kdf_memory_kib: input.kdf.memoryKiB,
          kdf_passes: input.kdf.passes,
          kdf_lanes: input.kdf.lanes,
          kdf_salt: input.salt,
          wrapped_user_key: input.wrappedUserKey,
          box_public_key: input.identity.boxPublicKey,
          signing_public_key: input.identity.signingPublicKey,
          sealed_private_keys: input.identity.sealedPrivateKeys,
          created_at: now,
          updated_at: now,
        })
        .execute();
      // The account's personal vault is its first container, made with it (its id is the user's).
      await trx.insertInto('containers').values({ id: userId, kind: 'personal', owner_id: userId, created_at: now, updated_at: now }).execute();
      // The address the account was made from is its own: never paced at sign-in (accounts.ts).
      await remember(trx, `login-known:${input.username}|${address}`, now, now + deps.config.loginLimits.accountSlowDown.knownAddressMs);
      return createSession(trx, deps, userId, input.deviceName ?? null);
    });
  } catch (e) {
    // Only the username is unique among unconfirmed accounts.
    if (isUniqueViolation(e)) throw new ServerError('CONFLICT', 'That username is taken. Choose another, or sign in if it is yours.');
    throw e;
  }
  deps.tasks.run('registration mail', () => mailRegistrant(deps, userId, input.email, code));
  return { token: session.token, userId, expiresAt: session.expiresAt };
}

/** Eight random digits. */
export function newEmailCode(): string {
  return String(randomInt(0, 100_000_000)).padStart(8, '0');
}

/**
 * After the answer: the code to a free address, a notice (and no code) to a confirmed owner's.
 * `asked` says what the notice tells the owner someone did: created an account (registration), or
 * asked for a code for the address (a new code, a changed email).
 */
export async function mailRegistrant(deps: Deps, userId: string, email: string, code: string, asked: 'register' | 'code' = 'register'): Promise<void> {
  const owner = await deps.database.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .where('email_confirmed', '=', 1)
    .where('id', '!=', userId)
    .executeTakeFirst();
  if (owner) {
    const what = asked === 'register' ? 'create a Latchkey account with your address' : 'use your address for another Latchkey account';
    await deps.mailer.sendMail({
      to: email,
      subject: `Someone tried to ${what}`,
      text: [
        `Someone tried to ${what}.`,
        '',
        'Your address stays with your existing account. If this was you, sign in with that account',
        'instead. If it was not, you need do nothing: nobody can confirm your address without this mailbox.',
      ].join('\n'),
    });
    return;
  }
  await deps.mailer.sendMail({
    to: email,
    subject: 'Your Latchkey confirmation code',
    text: [
      `Your Latchkey confirmation code is ${code}`,
      '',
      'Enter it in Latchkey to confirm this address for your account. It works for 24 hours.',
      'If you did not create a Latchkey account, ignore this message.',
    ].join('\n'),
  });
}

/** account.confirmEmail: the code mailed at registration marks the account's email confirmed. */
export async function confirmEmail(deps: Deps, userId: string, code: string): Promise<{ email: string; emailConfirmed: true }> {
  const { db } = deps.database;
  const now = deps.now();
  const user = await db
    .selectFrom('users')
    .select(['email', 'email_confirmed', 'email_code_hash', 'email_code_expires_at'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  if (user.email_confirmed === 1) return { email: user.email, emailConfirmed: true };
  const slot = await reserveAttempt(db, `confirm-email:${userId}`, CONFIRM_ATTEMPTS, now);
  if (!slot.allowed) throw rateLimited('Too many wrong confirmation codes.', slot.retryAfterMs);
  const expected = Buffer.from(user.email_code_hash ?? '', 'base64url');
  const actual = Buffer.from(codeHash(deps, userId, code), 'base64url');
  const matches = expected.length === actual.length && timingSafeEqual(expected, actual);
  if (!matches || (user.email_code_expires_at ?? 0) <= now) {
    throw new ServerError('BAD_INPUT', 'That confirmation code is wrong or has expired. Check the latest mail from Latchkey and try again.');
  }
  let attached = 0;
  try {
    attached = await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ email_confirmed: 1, email_code_hash: null, email_code_expires_at: null, updated_at: now })
        .where('id', '=', userId)
        .execute();
      // Invitations waiting for this address reach the account now that it is proven, not before.
      return attachEmailInvitations(trx, userId, user.email, now);
    });
  } catch (e) {
    if (isUniqueViolation(e)) {
      throw new ServerError('CONFLICT', 'This email address was confirmed for another account in the meantime. Nothing was changed.');
    }
    throw e;
  }
  if (attached > 0) await notifyPeople(deps, [userId]);
  return { email: user.email, emailConfirmed: true };
}
