// Fixtures for the people and messages tests: confirmed accounts, connections, sealed-looking
// message bodies (random bytes: the server cannot tell them from real ciphertext).
import { TRPCError } from '@trpc/server';
import type { Deps } from '../../server/deps.ts';
import { appCodeOf } from '../../server/errors.ts';
import type { MailMessage } from '../../server/mail.ts';
import { b64, caller, signUp } from './helpers.ts';

export type User = Awaited<ReturnType<typeof signUp>>;

export async function failure(p: Promise<unknown>): Promise<TRPCError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

/** The AppError code a failed call carries (what the client branches on). */
export async function appCode(p: Promise<unknown>): Promise<string> {
  const e = await failure(p);
  return (e.cause as { code?: string } | undefined)?.code ?? appCodeOf(e.code);
}

/** Sign up and confirm the email with the code from the deps' memory mailer. */
export async function confirmedUser(deps: Deps, username: string): Promise<User> {
  const user = await signUp(deps, username);
  await confirmWithMailedCode(deps, user.token, user.input.email);
  return user;
}

export async function confirmWithMailedCode(deps: Deps, token: string, email: string): Promise<void> {
  await deps.tasks.drain();
  const sent = (deps.mailer as unknown as { sent: MailMessage[] }).sent;
  const mail = sent.filter((m) => m.to === email && /confirmation code is/.test(m.text)).at(-1);
  const code = mail && /confirmation code is (\d{8})/.exec(mail.text)?.[1];
  if (!code) throw new Error(`no confirmation code mailed to ${email}`);
  await caller(deps, token).account.confirmEmail({ code });
}

/** a invites b by id and b accepts. */
export async function connect(a: User, b: User, kind: 'messages' | 'sharing' = 'messages') {
  const { invitation } = await a.api.people.invite({ userId: b.userId, kind });
  return (await b.api.people.acceptInvitation({ id: invitation.id })).connection;
}

export const messageId = () => b64(16);

export function message(recipientId: string, opts: { envelopeBytes?: number; header?: boolean } = {}) {
  return { id: messageId(), recipientId, header: opts.header === false ? null : b64(200), envelope: b64(opts.envelopeBytes ?? 2000) };
}
