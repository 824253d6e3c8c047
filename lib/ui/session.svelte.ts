// The vault's lock state as the popup and options page see it. The keys themselves never come here:
// create, unlock and lock are requests to the background, which holds them.
import { t } from '../i18n';
import { send } from '../messages/client';
import type { Envelope, SessionStatus } from '../messages/protocol';

export type VaultState = 'loading' | 'none' | 'locked' | 'unlocked' | 'unreachable';

export class Session {
  state = $state<VaultState>('loading');
  /** A create or unlock is running (Argon2id takes most of a second). */
  busy = $state(false);
  error = $state('');

  apply(status: SessionStatus): void {
    this.state = status.vault;
  }

  unreachable(message: string): void {
    this.state = 'unreachable';
    this.error = message;
  }

  /**
   * Called when the background says the vault locked, or any request answers LOCKED: the idle
   * timer, the computer locking or another window locked the vault.
   */
  lockedElsewhere(): void {
    if (this.state === 'unlocked') this.state = 'locked';
  }

  async create(password: string): Promise<boolean> {
    return this.#run(() => send('session.create', { password }));
  }

  async unlock(password: string): Promise<boolean> {
    if (!password) {
      this.error = t('unlockEmpty');
      return false;
    }
    return this.#run(() => send('session.unlock', { password }));
  }

  /** Another page unlocked (or created) the vault; false if this page is busy doing it itself. */
  unlockedElsewhere(): boolean {
    if (this.busy || (this.state !== 'locked' && this.state !== 'none')) return false;
    this.error = '';
    this.state = 'unlocked';
    return true;
  }

  async lock(): Promise<void> {
    // Locked here first: the background's "locked" broadcast may arrive before its answer, and
    // must not read as a lock from elsewhere.
    this.error = '';
    this.state = 'locked';
    await send('session.lock');
  }

  async #run(request: () => Promise<Envelope<void>>): Promise<boolean> {
    this.busy = true;
    this.error = '';
    try {
      const reply = await request();
      if (reply.ok) {
        this.state = 'unlocked';
        return true;
      }
      if (reply.code === 'NO_VAULT') this.state = 'none';
      if (reply.code === 'VAULT_EXISTS') this.state = 'locked';
      this.error = reply.code === 'WRONG_PASSWORD' ? t('unlockWrongPassword') : reply.message;
      return false;
    } finally {
      this.busy = false;
    }
  }
}
