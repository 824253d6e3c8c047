// New confirmation codes for a signed-in account whose email is not confirmed yet: a fresh code for
// the same address (account.resendEmailCode), or for another one (account.changeEmail). As at
// registration, the answer never says whether the address belongs to a confirmed account: the new
// code is stored either way, and after the answer the mail goes out, the code to a free address or
// a notice (and no code) to a confirmed owner's. Each new code replaces the last one; the count of
// wrong codes (registration.ts) carries on, so asking for codes buys no extra guesses.
import { addressKey } from './client-address.ts';
import type { Deps } from './deps.ts';
import { ServerError } from './errors.ts';
import { rateLimited, releaseAttempt, reserveAttempt } from './rate-limit.ts';
import { codeHash, EMAIL_CODE_TTL_MS, mailRegistrant, newEmailCode } from './registration.ts';

export interface EmailState {
  email: string;
  emailConfirmed: boolean;
}

/** One slot per account and one per client address, both before any work; refused: neither is kept. */
async function reserveCodeMail(deps: Deps, userId: string, ip: string): Promise<void> {
  const { db } = deps.database;
  const now = deps.now();
  const limits = deps.config.emailCodeLimits;
  const account = await reserveAttempt(db, `email-code-account:${userId}`, limits.perAccount, now);
  if (!account.allowed) throw rateLimited('You asked for too many confirmation codes.', account.retryAfterMs);
  const address = await reserveAttempt(db, `email-code-address:${addressKey(ip)}`, limits.perAddress, now);
  if (!address.allowed) {
    await releaseAttempt(db, account.key);
    throw rateLimited('Too many confirmation codes were asked for from your network address.', address.retryAfterMs);
  }
}

/**
 * Stores a new code for `email` (the account's own, or the one it changes to) while the account's
 * email is unconfirmed, and mails it after the answer. Already confirmed: nothing is changed.
 */
async function issueCode(deps: Deps, userId: string, email: string): Promise<boolean> {
  const now = deps.now();
  const code = newEmailCode();
  const result = await deps.database.db
    .updateTable('users')
    .set({ email, email_code_hash: codeHash(deps, userId, code), email_code_expires_at: now + EMAIL_CODE_TTL_MS, updated_at: now })
    .where('id', '=', userId)
    .where('email_confirmed', '=', 0)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return false;
  deps.tasks.run('confirmation code mail', () => mailRegistrant(deps, userId, email, code, 'code'));
  return true;
}

async function emailOf(deps: Deps, userId: string): Promise<EmailState> {
  const user = await deps.database.db.selectFrom('users').select(['email', 'email_confirmed']).where('id', '=', userId).executeTakeFirstOrThrow();
  return { email: user.email, emailConfirmed: user.email_confirmed === 1 };
}

/** account.resendEmailCode: a fresh code to the account's unconfirmed email; confirmed: a no-op. */
export async function resendEmailCode(deps: Deps, userId: string, ip: string): Promise<EmailState> {
  const before = await emailOf(deps, userId);
  if (before.emailConfirmed) return before;
  await reserveCodeMail(deps, userId, ip);
  if (!(await issueCode(deps, userId, before.email))) return emailOf(deps, userId); // confirmed meanwhile
  return { email: before.email, emailConfirmed: false };
}

/** account.changeEmail: another address for an account whose email is not confirmed yet. */
export async function changeEmail(deps: Deps, userId: string, ip: string, email: string): Promise<EmailState> {
  const before = await emailOf(deps, userId);
  if (before.emailConfirmed) throw confirmedAlready();
  await reserveCodeMail(deps, userId, ip);
  if (!(await issueCode(deps, userId, email))) throw confirmedAlready();
  return { email, emailConfirmed: false };
}

function confirmedAlready(): ServerError {
  return new ServerError('BAD_INPUT', 'Your email address is already confirmed, so it cannot be changed here. Nothing was changed.');
}
