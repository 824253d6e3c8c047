// The locking settings (idle time, lock when the computer locks), shared by the popup's settings screen and the options page.
import { t, tn } from '../i18n';
import { send } from '../messages/client';
import { IDLE_MINUTES, parseIdleMinutes } from './settings';

export class IdleSettings {
  text = $state(String(IDLE_MINUTES.default));
  status = $state('');
  error = $state('');
  saving = $state(false);
  /** Lock when the computer locks or sleeps (on by default); saved as soon as it is changed. */
  lockOnSystemLock = $state(true);

  async load(): Promise<void> {
    const reply = await send('session.status');
    if (reply.ok) {
      this.text = String(reply.value.idleMinutes);
      this.lockOnSystemLock = reply.value.lockOnSystemLock;
    } else {
      this.error = reply.message;
    }
  }

  async save(): Promise<void> {
    this.status = this.error = '';
    const parsed = parseIdleMinutes(this.text);
    if (!parsed.ok) {
      this.error = parsed.message;
      return;
    }
    this.saving = true;
    const reply = await send('session.setIdleMinutes', { minutes: parsed.value });
    this.saving = false;
    if (!reply.ok) {
      this.error = reply.message;
      return;
    }
    this.text = String(parsed.value);
    this.status = tn('settingsIdleSaved', parsed.value);
  }

  async saveSystemLock(enabled: boolean): Promise<void> {
    this.status = this.error = '';
    this.lockOnSystemLock = enabled;
    const reply = await send('session.setLockOnSystemLock', { enabled });
    if (!reply.ok) {
      this.lockOnSystemLock = !enabled; // nothing changed
      this.error = reply.message;
      return;
    }
    this.status = enabled ? t('settingsSystemLockOn') : t('settingsSystemLockOff');
  }
}
