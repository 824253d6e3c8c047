// The account's sync status as the popup shows it (the background's account.status): asked when
// the vault opens and each time the list comes back on screen.
import { send } from '../messages/client';
import type { AccountStatus } from '../messages/sync-protocol';

export class SyncStatus {
  /** undefined until the first answer (or when the background could not say). */
  status = $state.raw<AccountStatus | undefined>(undefined);

  get signedIn(): boolean {
    return this.status?.signedIn ?? false;
  }

  async load(): Promise<void> {
    const reply = await send('account.status');
    if (reply.ok) this.status = reply.value;
  }
}
