// A real SMTP server in the test process (smtp-server on 127.0.0.1) that keeps what it receives.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Received {
  to: string[];
  raw: string;
}

export async function startSmtp(delayMs = 0) {
  const inbox: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (d: string) => (raw += d));
      stream.on('end', () => {
        setTimeout(() => {
          inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
          callback();
        }, delayMs);
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, inbox, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export type Smtp = Awaited<ReturnType<typeof startSmtp>>;

/** The mail's text part, quoted-printable soft breaks undone. */
export function bodyOf(mail: Received): string {
  return mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
}

/** The mail's text alone, without its headers (whose Message-ID is random and may look like a code). */
export function textOf(mail: Received): string {
  const body = bodyOf(mail);
  const end = body.search(/\r?\n\r?\n/);
  return end < 0 ? '' : body.slice(end).trim();
}

/** The mail that went to one address, in the order it arrived. */
export const mailTo = (inbox: Received[], address: string): Received[] => inbox.filter((m) => m.to.includes(address));

/** The confirmation code in a mail, if it carries one. */
export const codeIn = (m: Received): string | undefined => /confirmation code is (\d{8})/.exec(bodyOf(m))?.[1];
