// Messages of the account and sync work (issue 4); merged into Protocol in protocol.ts.
import type { SenderKind } from './protocol';
import type { SignedOutReason } from '../vault/db';

export interface AccountStatus {
  signedIn: boolean;
  serverUrl: string;
  username?: string;
  /** Local changes the server has not acknowledged yet. */
  pending: number;
  /** Entries kept twice because two devices changed the same field differently. */
  conflicts: number;
  lastSyncAt?: number;
  /** Why the last sync did not finish, in words for the person (e.g. server unreachable). */
  lastError?: string;
  /** Live updates are connected: the server reached this device a moment ago. */
  live: boolean;
  /** Not live because the server cannot be reached (the last sync or the live stream failed for the network). */
  offline: boolean;
  /** While signed out: why (the server and username above are the account's, to sign in again). */
  signedOutReason?: SignedOutReason;
}

/** The account's email on the server and whether it was confirmed with a mailed code. */
export interface EmailStatus {
  email: string;
  confirmed: boolean;
}

export interface SyncProtocol {
  'account.status': { req: void; res: AccountStatus };
  /** Create a server account for this browser's vault (creating the vault too on first run). */
  'account.register': { req: { serverUrl: string; username: string; email: string; password: string }; res: void };
  /** Sign in on a new device: download the account and the whole vault. */
  'account.signIn': { req: { serverUrl: string; username: string; password: string }; res: void };
  'account.signOut': { req: void; res: void };
  /** Ends every session of the account; a locked vault needs its master password to reach the token. */
  'account.signOutEverywhere': { req: { password?: string } | void; res: void };
  /** Start over on this browser: removes a vault that does not sync here, after its master password. */
  'account.removeVault': { req: { password: string }; res: void };
  'account.changePassword': { req: { current: string; next: string }; res: void };
  /** The signed-in account's email as the server has it; null when not signed in, or locked. */
  'account.email': { req: void; res: EmailStatus | null };
  /** The 8-digit code mailed to the account's email: confirms that address. */
  'account.confirmEmail': { req: { code: string }; res: EmailStatus };
  /** A fresh code to the unconfirmed email (rate-limited by the server). */
  'account.resendEmailCode': { req: void; res: EmailStatus };
  /** Another address for an email not confirmed yet, and a code to it. */
  'account.changeEmail': { req: { email: string }; res: EmailStatus };
  'sync.now': { req: void; res: AccountStatus };
}

const PAGES = ['popup', 'options'] as const satisfies readonly SenderKind[];

export const SYNC_SENDERS: { [K in keyof SyncProtocol]: readonly SenderKind[] } = {
  'account.status': PAGES,
  'account.register': PAGES,
  'account.signIn': PAGES,
  'account.signOut': PAGES,
  'account.signOutEverywhere': PAGES,
  'account.removeVault': ['options'],
  'account.changePassword': PAGES,
  'account.email': PAGES,
  'account.confirmEmail': PAGES,
  'account.resendEmailCode': PAGES,
  'account.changeEmail': PAGES,
  'sync.now': PAGES,
};

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787';
