// The companion-server account as the options page shows it: status, create an account, sign in on
// this device, sync now, sign out here or everywhere. The master password goes to the background,
// which derives keys from it; it is cleared from this page as soon as the request ends.
import { t } from '../i18n';
import { send } from '../messages/client';
import type { AccountStatus } from '../messages/sync-protocol';
import { DEFAULT_SERVER_URL } from '../messages/sync-protocol';

export type AccountMode = 'register' | 'signIn';

export class AccountState {
  status = $state<AccountStatus | undefined>(undefined);
  mode = $state<AccountMode>('register');
  serverUrl = $state(DEFAULT_SERVER_URL);
  username = $state('');
  email = $state('');
  password = $state('');
  busy = $state(false);
  /** What is happening now, for long work (deriving keys, downloading the vault). */
  progress = $state('');
  error = $state('');
  notice = $state('');

  async load(): Promise<void> {
    const reply = await send('account.status');
    if (reply.ok) this.status = reply.value;
    else this.error = reply.message;
  }

  private async run(progress: string, work: () => ReturnType<typeof send>, done: string): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = this.notice = '';
    this.progress = progress;
    const reply = await work();
    this.busy = false;
    this.progress = '';
    this.password = '';
    if (!reply.ok) {
      this.error = reply.message;
    } else {
      this.notice = done;
    }
    await this.load();
  }

  async submit(): Promise<void> {
    if (!this.username.trim() || !this.password || (this.mode === 'register' && !this.email.trim())) {
      this.error = this.mode === 'register' ? t('accountMissingRegister') : t('accountMissingSignIn');
      return;
    }
    const serverUrl = this.serverUrl.trim();
    if (this.mode === 'register') {
      await this.run(
        t('accountRegistering'),
        () => send('account.register', { serverUrl, username: this.username, email: this.email, password: this.password }),
        t('accountRegistered'),
      );
    } else {
      await this.run(
        t('accountSigningIn'),
        () => send('account.signIn', { serverUrl, username: this.username, password: this.password }),
        t('accountSignedIn'),
      );
    }
  }

  syncNow(): Promise<void> {
    return this.run(t('accountSyncing'), () => send('sync.now'), t('accountSynced'));
  }

  signOut(): Promise<void> {
    return this.run(t('accountSigningOut'), () => send('account.signOut'), t('accountSignedOut'));
  }

  signOutEverywhere(): Promise<void> {
    return this.run(t('accountSigningOutEverywhere'), () => send('account.signOutEverywhere'), t('accountSignedOutEverywhere'));
  }
}
