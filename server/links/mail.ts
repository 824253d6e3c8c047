// The two link mails: "Email it for me" (the link itself, sent for its owner) and the one-time code
// for a restricted link. The link mail passes through and is never stored; when there is no SMTP
// server and mail goes to the log, the log gets it without the link's secret (the fragment).
import { parseLinkUrl } from '../../lib/sharing/link-format.ts';
import type { Deps } from '../deps.ts';
import { ServerError } from '../errors.ts';
import type { MailMessage } from '../mail.ts';
import { rateLimited, reserveAttempt } from '../rate-limit.ts';
import { requireOwnActiveLink } from './store.ts';

export interface SendLinkEmailInput {
  id: string;
  to: string;
  senderName: string;
  note: string;
  url: string;
}

export function linkCodeMail(to: string, code: string): MailMessage {
  return {
    to,
    subject: 'Your code for a shared link',
    text: [
      `Your code for the link shared with you through Latchkey is ${code}`,
      '',
      'Type it on the page of the link. It works for 10 minutes.',
      'If you did not ask for a code, ignore this message.',
    ].join('\n'),
  };
}

function linkMail(input: SendLinkEmailInput, url: string, expiresAt: number, protection: string): string {
  const lines = [`${input.senderName} shared login details with you through Latchkey.`, ''];
  if (input.note.trim() !== '') lines.push(`${input.senderName} wrote:`, input.note, '');
  lines.push('Open this link to see them:', url, '');
  lines.push(`The link works until ${new Date(expiresAt).toUTCString()}.`);
  if (protection !== 'none') {
    lines.push(`You also need the ${protection === 'pin' ? 'PIN' : 'passphrase'} ${input.senderName} gives you another way: it is never in this email.`);
  }
  lines.push('', 'If you did not expect this, ignore it.');
  return lines.join('\n');
}

/** links.sendEmail: the owner's own, still open link, to one address; nothing of it is stored. */
export async function sendLinkEmail(deps: Deps, userId: string, input: SendLinkEmailInput): Promise<Record<string, never>> {
  let parsed: ReturnType<typeof parseLinkUrl>;
  try {
    parsed = parseLinkUrl(input.url);
  } catch (e) {
    throw new ServerError('BAD_INPUT', e instanceof Error ? e.message : 'The link is not valid.');
  }
  if (parsed.id !== input.id) throw new ServerError('BAD_INPUT', 'The link to send is not the link of this share (its id differs). Copy the link again.');
  const link = await requireOwnActiveLink(deps, userId, input.id);
  const slot = await reserveAttempt(deps.database.db, `link-email:${userId}`, deps.config.linkLimits.emailsPerAccount, deps.now());
  if (!slot.allowed) throw rateLimited('You had the server send many link emails in a short time.', slot.retryAfterMs);
  const withoutSecret = `${parsed.origin}/l/${parsed.id}#(the link's secret, left out of the log)`;
  const subject = `${input.senderName} shared login details with you`;
  try {
    await deps.mailer.sendMail({
      to: input.to,
      subject,
      text: linkMail(input, input.url, link.expires_at, link.protection),
      logText: linkMail(input, withoutSecret, link.expires_at, link.protection),
    });
  } catch {
    // What the SMTP server said may name the address: it is not passed on or logged.
    throw new ServerError('NETWORK', 'The server could not send the email just now. Try again in a moment, or copy the link and send it yourself.');
  }
  return {};
}
