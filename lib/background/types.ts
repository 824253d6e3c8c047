// The interfaces the background services expose to each other. Each service is built by a
// createXService(deps) factory and registers its own message handlers.
import type { Entry, EntryFields, EntrySummary } from '../model/entry';
import type { VaultListing, ImportResult } from '../messages/protocol';

export interface SessionService {
  /** 'none' until a vault exists on this device. */
  state(): 'none' | 'locked' | 'unlocked';
  /** The unlocked user key; throws AppError LOCKED when locked. Never leaves the background. */
  userKey(): Uint8Array;
  create(password: string): Promise<void>;
  unlock(password: string): Promise<void>;
  lock(): Promise<void>;
  /** Restores an unlocked session from storage.session after the service worker restarted. */
  restore(): Promise<boolean>;
  onLock(listener: () => void): () => void;
  onUnlock(listener: () => void): () => void;
}

export interface VaultService {
  /** Every entry's overview, decrypted once after unlock and kept in memory. Throws LOCKED. */
  summaries(): Promise<EntrySummary[]>;
  listing(): Promise<VaultListing>;
  /** The whole entry, password and notes included. */
  get(id: string): Promise<Entry>;
  save(input: { id?: string; baseRevision?: number; fields: EntryFields }): Promise<EntrySummary>;
  remove(id: string): Promise<void>;
  importRecords(records: unknown[]): Promise<ImportResult>;
  /** Re-reads these records from the store after sync changed them. */
  refresh(ids: string[]): Promise<void>;
  /** Called after any local or synced change. */
  onChange(listener: () => void): () => void;
}
