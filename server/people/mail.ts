// The people mails: an invitation (to an account's confirmed address, or to an address without an
// account yet) and "you have a new message". They name the sender's username and nothing else: no
// title, no note, no secret. Sent after the answer (deps.tasks), only to confirmed addresses of
// accounts, or to the address the inviter typed.
import type { Deps } from '../deps.ts';
import type { MailMessage } from '../mail.ts';
import { reserveAttempt } from '../rate-limit.ts';

export function invitationMail(to: string, inviter: string, hasAccount: boolean): MailMessage {
  if (hasAccount) {
    return {
      to,
      subject: `${inviter} invited you to connect on Latchkey`,
      text: [
        `${inviter} invited you to connect on Latchkey.`,
        '',
        'Open Latchkey and go to People to accept or decline the invitation.',
        'If you do not know this person, decline it: nothing is shared until you accept.',
      ].join('\n'),
    };
  }
  return {
    to,
    subject: `${inviter} invited you to Latchkey`,
    text: [
      `${inviter} invited you to connect on Latchkey, the end-to-end encrypted password manager.`,
      '',
      'To see the invitation, create a Latchkey account on the same server with this email address',
      'and confirm the address with the code Latchkey mails you. The invitation waits 30 days.',
      'If you do not know this person, ignore this message.',
    ].join('\n'),
  };
}

export function newMessageMail(to: string, sender: string): MailMessage {
  const line = `You have a new message in Latchkey from ${sender}`;
  return { to, subject: line, text: [`${line}.`, '', 'Open Latchkey and go to Messages to read it.'].join('\n') };
}

/** The confirmed address of an account, or null (never mail an address nobody proved). */
export async function confirmedEmail(deps: Deps, userId: string): Promise<string | null> {
  const row = await deps.database.db.selectFrom('users').select(['email', 'email_confirmed']).where('id', '=', userId).executeTakeFirst();
  return row && row.email_confirmed === 1 ? row.email : null;
}

/** After a message was stored: at most one mail per recipient per window. */
export function notifyNewMessage(deps: Deps, recipientId: string, senderName: string): void {
  deps.tasks.run('new message mail', async () => {
    const to = await confirmedEmail(deps, recipientId);
    if (!to) return;
    const slot = await reserveAttempt(deps.database.db, `message-mail:${recipientId}`, deps.config.peopleLimits.notifyPerRecipient, deps.now());
    if (!slot.allowed) return;
    await deps.mailer.sendMail(newMessageMail(to, senderName));
  });
}

/** After an invitation to an account was stored: mail its confirmed address. */
export function mailInvitationToAccount(deps: Deps, inviteeId: string, inviter: string): void {
  deps.tasks.run('invitation mail', async () => {
    const to = await confirmedEmail(deps, inviteeId);
    if (to) await deps.mailer.sendMail(invitationMail(to, inviter, true));
  });
}

/** After an invitation to an address without a confirmed account was stored. */
export function mailInvitationToAddress(deps: Deps, to: string, inviter: string): void {
  deps.tasks.run('invitation mail', () => deps.mailer.sendMail(invitationMail(to, inviter, false)));
}
