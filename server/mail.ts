// Outgoing mail: sendMail({ to, subject, text }) over SMTP when SMTP_URL is set (nodemailer),
// otherwise written to the log, which is then how a developer reads confirmation codes (only in
// that no-SMTP mode does a code ever reach the log; see server/README.md).
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /**
   * What the log gets instead of `text` when there is no SMTP server (a link mail: without the
   * link's secret). Never sent.
   */
  logText?: string;
}

export interface Mailer {
  /** Resolves once the SMTP server accepted the message (or it was logged). */
  sendMail(message: MailMessage): Promise<void>;
  close(): void;
}

export const DEFAULT_MAIL_FROM = 'Latchkey <latchkey@localhost>';

export function createMailer(options: { smtpUrl?: string; from?: string; log?: (line: string) => void }): Mailer {
  const from = options.from ?? DEFAULT_MAIL_FROM;
  if (!options.smtpUrl) {
    const log = options.log ?? ((line: string) => console.log(line));
    return {
      async sendMail({ to, subject, text, logText }) {
        log(`[latchkey] mail (no SMTP_URL set, so logged instead of sent) to ${to}: ${subject}\n${logText ?? text}`);
      },
      close() {},
    };
  }
  const transport = nodemailer.createTransport(options.smtpUrl);
  return {
    async sendMail({ to, subject, text }) {
      await transport.sendMail({ from, to, subject, text });
    },
    close: () => transport.close(),
  };
}
