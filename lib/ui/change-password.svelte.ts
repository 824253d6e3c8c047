// Changing the master password (options page). The background verifies the current password and
// re-wraps the user key; entries are not touched. The rules for the new one are create-vault's.
import { t } from '../i18n';
import { send } from '../messages/client';
import { NewMasterPassword } from './create-vault.svelte';

export class ChangeMasterPassword {
  current = $state('');
  readonly next = new NewMasterPassword();
  busy = $state(false);
  error = $state('');
  status = $state('');

  /** The new password's problem, once the person has tried to submit. */
  get problem(): string | undefined {
    if (!this.next.attempted) return undefined;
    if (!this.current) return t('settingsCurrentMissing');
    if (this.next.password && this.next.password === this.current) return t('settingsSamePassword');
    return this.next.problem;
  }

  async submit(): Promise<void> {
    if (this.busy) return;
    this.next.attempted = true;
    this.status = this.error = '';
    if (this.next.meter === undefined) await this.next.loadMeter();
    if (this.problem) return;
    this.busy = true;
    const reply = await send('account.changePassword', { current: this.current, next: this.next.password });
    this.busy = false;
    if (!reply.ok) {
      this.error =
        reply.code === 'WRONG_PASSWORD' ? t('settingsWrongPassword')
        : reply.code === 'LOCKED' ? t('settingsUnlockFirst')
        : t('settingsNotChanged', reply.message);
      return;
    }
    this.current = this.next.password = this.next.confirmation = '';
    this.next.attempted = false;
    this.status = t('settingsPasswordChanged');
  }
}
