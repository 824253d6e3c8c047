// The companion-server account as the options page shows it: status, create an account, sign in on
// this device, sync now, sign out here or everywhere, start over on this browser. The master
// password goes to the background, which derives keys from it; it is cleared from this page as soon
// as the request ends.
import { t } from '../i18n';
import { send } from '../messages/client';
import type { Envelope } from '../messages/protocol';
import type { AccountStatus } from '../messages/sync-protocol';
import { DEFAULT_SERVER_URL } from '../messages/sync-protocol';
import { EmailConfirmation } from './account-email.svelte';
import { NewMasterPassword } from './create-vault.svelte';

export type AccountMode = 'register' | 'signIn';
export type LocalVault = 'loading' | 'none' | 'locked' | 'unlocked';

/** The options page's address that opens the account on its Sign in form (the first-run link). */
export const SIGN_IN_HASH = '#sign-in';

export class AccountState {
  status = $state<AccountStatus | undefined>(undefined);
  /** This browser's own vault: creating an account without one chooses a new master password. */
  vault = $state<LocalVault>('loading');
  mode = $state<AccountMode>('register');
  serverUrl = $state(DEFAULT_SERVER_URL);
  username = $state('');
  email = $state('');
  password = $state('');
  /** The master password of a vault created together with its account (no vault here yet). */
  readonly newPassword = new NewMasterPassword();
  /** The signed-in account's email and its confirmation code. */
  readonly emailConfirmation = new EmailConfirmation();
  busy = $state(false);
  /** What is happening now, for long work (deriving keys, downloading the vault). */
  progress = $state('');
  error = $state('');
  /** The error is about the master password just typed: the page keeps focus on that field. */
  passwordError = $state(false);
  notice = $state('');
  /** The person chose a tab themselves: loading the status no longer picks one for them. */
  private modeChosen = false;

  constructor(hash = '') {
    if (hash === SIGN_IN_HASH) this.choose('signIn');
  }

  choose(mode: AccountMode): void {
    this.mode = mode;
    this.modeChosen = true;
    this.error = '';
    this.passwordError = false;
  }

  /** A new master password is chosen here (with its strength and confirmation) only without a vault. */
  get choosesPassword(): boolean {
    return this.mode === 'register' && this.vault === 'none';
  }

  async load(): Promise<void> {
    const [reply, session] = await Promise.all([send('account.status'), send('session.status')]);
    if (session.ok) this.vault = session.value.vault;
    if (!reply.ok) {
      this.error = reply.message;
      return;
    }
    this.status = reply.value;
    if (reply.value.signedIn && this.vault === 'unlocked') await this.emailConfirmation.load();
    else this.emailConfirmation.forget();
    // A device that synced before comes back to Sign in, with its server and username filled in.
    if (!reply.value.signedIn && reply.value.serverUrl) {
      this.serverUrl = reply.value.serverUrl;
      this.username ||= reply.value.username ?? '';
      if (!this.modeChosen) this.mode = 'signIn';
    }
  }

  private async run(progress: string, work: () => Promise<Envelope<unknown>>, done: string, aboutTypedPassword = false): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.error = this.notice = '';
    this.passwordError = false;
    this.progress = progress;
    const reply = await work();
    this.busy = false;
    this.progress = '';
    this.password = '';
    if (!reply.ok) {
      this.error = reply.message;
      this.passwordError = aboutTypedPassword && reply.code === 'WRONG_PASSWORD';
    } else {
      this.notice = done;
      this.newPassword.password = this.newPassword.confirmation = '';
      this.newPassword.attempted = false;
    }
    await this.load();
    return reply.ok;
  }

  async submit(): Promise<void> {
    const password = this.choosesPassword ? this.newPassword.password : this.password;
    if (!this.username.trim() || !password || (this.mode === 'register' && !this.email.trim())) {
      this.error = this.mode === 'register' ? t('accountMissingRegister') : t('accountMissingSignIn');
      return;
    }
    const serverUrl = this.serverUrl.trim();
    if (this.mode === 'signIn') {
      await this.run(t('accountSigningIn'), () => send('account.signIn', { serverUrl, username: this.username, password }), t('accountSignedIn'), true);
      return;
    }
    if (this.choosesPassword) {
      // The same rule as first run; the background checks it again before anything is created.
      this.newPassword.attempted = true;
      if (this.newPassword.meter === undefined) await this.newPassword.loadMeter();
      if (this.newPassword.problem) {
        this.error = this.newPassword.problem;
        this.passwordError = true;
        return;
      }
    }
    await this.run(
      t('accountRegistering'),
      async () => {
        // A locked vault unlocks right here, before the server hears of anything (issue 11, item 8).
        if (this.vault === 'locked') {
          const unlocked = await send('session.unlock', { password });
          if (!unlocked.ok) return unlocked;
        }
        return send('account.register', { serverUrl, username: this.username, email: this.email, password });
      },
      t('accountRegistered'),
      true,
    );
  }

  syncNow(): Promise<boolean> {
    return this.run(t('accountSyncing'), () => send('sync.now'), t('accountSynced'));
  }

  async signOut(): Promise<boolean> {
    const ok = await this.run(t('accountSigningOut'), () => send('account.signOut'), t('accountSignedOut'));
    if (ok) this.mode = 'signIn'; // this vault has an account: signing in again is what comes next
    return ok;
  }

  /** `password` unlocks a locked vault first: the session token is sealed under its key. */
  async signOutEverywhere(password?: string): Promise<boolean> {
    const ok = await this.run(t('accountSigningOutEverywhere'), () => send('account.signOutEverywhere', { password }), t('accountSignedOutEverywhere'));
    if (ok) this.mode = 'signIn';
    return ok;
  }

  /** Removes this browser's vault (not synced here) after its master password: start over. */
  startOver(password: string): Promise<boolean> {
    return this.run(t('accountStartingOver'), () => send('account.removeVault', { password }), t('accountStartedOver'));
  }
}
