// What the sync service offers the other background services (lib/background/sync-service.ts).
import type { ApiClient } from '../api/client';
import type { VaultListing } from '../messages/protocol';
import type { AccountStatus } from '../messages/sync-protocol';
import type { SyncRecord } from '../vault/db';

export interface SyncService {
  /**
   * Starts syncing with a server account (after register or sign-in) and waits for the first sync.
   * With `firstSignIn`, a vault snapshot on the server is listed at once instead, and the records
   * follow in the background.
   */
  begin(sync: Omit<SyncRecord, 'key' | 'sealedToken'>, token: string, options?: { firstSignIn?: boolean }): Promise<void>;
  /** Stops syncing and forgets the session on this device. */
  end(): Promise<void>;
  api(): ApiClient;
  apiFor(serverUrl: string, token?: string): ApiClient;
  syncNow(): Promise<void>;
  status(): Promise<AccountStatus>;
  /** Records from the server that were refused (replayed or swapped), each naming its entry. */
  problems(): Promise<VaultListing['problems']>;
  /** Called when the live stream reports a change to one of my link shares (a new linkSeq). */
  onLinksChanged(listener: () => void): void;
  /** Called when the live stream reports a change to people, invitations or messages (a new peopleSeq). */
  onPeopleChanged(listener: () => void): void;
}
