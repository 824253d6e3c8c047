// The idle-lock setting, shared by the popup's settings screen and the options page.
import { tn } from '../i18n';
import { send } from '../messages/client';
import { IDLE_MINUTES, parseIdleMinutes } from './settings';

export class IdleSettings {
  text = $state(String(IDLE_MINUTES.default));
  status = $state('');
  error = $state('');
  saving = $state(false);

  async load(): Promise<void> {
    const reply = await send('session.status');
    if (reply.ok) {
      this.text = String(reply.value.idleMinutes);
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
}
