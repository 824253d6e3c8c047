// The account's email on the options page: while it is not confirmed, a field for the code the
// server mailed, "Send a new code", and another address if the first was mistyped. A refused code
// or request changes nothing here: the typed code stays for correcting, the status stays as it was.
import { t } from '../i18n';
import { send } from '../messages/client';
import type { Envelope } from '../messages/protocol';
import type { EmailStatus } from '../messages/sync-protocol';

export class EmailConfirmation {
  /** As the server last said; undefined while unknown (not signed in, locked, server unreachable). */
  status = $state<EmailStatus | undefined>(undefined);
  code = $state('');
  /** The other address typed in "Use another address". */
  newEmail = $state('');
  changing = $state(false);
  /** Back from "Use another address": the code field takes the focus when it comes back. */
  focusCode = $state(false);
  busy = $state(false);
  error = $state('');
  /** The error is about the code typed: the page keeps focus on the code field. */
  codeError = $state(false);
  notice = $state('');

  get unconfirmed(): boolean {
    return this.status !== undefined && !this.status.confirmed;
  }

  async load(): Promise<void> {
    const reply = await send('account.email');
    this.status = reply.ok ? (reply.value ?? undefined) : undefined;
  }

  forget(): void {
    this.status = undefined;
    this.code = this.newEmail = this.error = this.notice = '';
    this.changing = this.codeError = false;
  }

  private async run(work: () => Promise<Envelope<EmailStatus>>, done: (s: EmailStatus) => string, aboutCode = false): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.error = this.notice = '';
    this.codeError = false;
    const reply = await work();
    this.busy = false;
    if (!reply.ok) {
      this.error = reply.message;
      this.codeError = aboutCode;
      return false;
    }
    this.status = reply.value;
    this.notice = done(reply.value);
    return true;
  }

  async confirm(): Promise<void> {
    if (!this.code.trim()) {
      this.error = t('accountEmailCodeFormat');
      this.codeError = true;
      return;
    }
    const ok = await this.run(() => send('account.confirmEmail', { code: this.code }), (s) => t('accountEmailConfirmedNotice', s.email), true);
    if (ok) this.code = '';
  }

  resend(): Promise<boolean> {
    return this.run(() => send('account.resendEmailCode'), (s) => (s.confirmed ? t('accountEmailConfirmedNotice', s.email) : t('accountEmailCodeSent', s.email)));
  }

  startChange(): void {
    this.changing = true;
    this.newEmail = '';
    this.error = this.notice = '';
  }

  cancelChange(): void {
    this.changing = false;
    this.focusCode = true;
    this.error = '';
  }

  async change(): Promise<void> {
    const ok = await this.run(() => send('account.changeEmail', { email: this.newEmail }), (s) => t('accountEmailCodeSent', s.email));
    if (ok) {
      this.changing = false;
      this.focusCode = true;
      this.code = '';
    }
  }
}
