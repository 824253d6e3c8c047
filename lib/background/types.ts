// The interfaces the background services expose to each other. Each service is built by a
// createXService(deps) factory and registers its own message handlers.
import type { Entry, EntrySummary, EntryWrite, SavedEntry } from '../model/entry';
import type { VaultChange, VaultListing } from '../messages/protocol';
import type { EntryRecord } from '../vault/db';

export interface SessionService {
  /** 'none' until a vault exists on this device. */
  state(): 'none' | 'locked' | 'unlocked';
  /** The unlocked user key; throws AppError LOCKED when locked. Never leaves the background. */
  userKey(): Uint8Array;
  create(password: string): Promise<void>;
  unlock(password: string): Promise<void>;
  lock(): Promise<void>;
  /** The person used Latchkey (popup, options, context menu, keyboard command): postpones the idle lock. */
  touch(): Promise<void>;
  /** Restores an unlocked session from storage.session after the service worker restarted. */
  restore(): Promise<boolean>;
  onLock(listener: () => void): () => void;
  /** Called as an unlock (or a restore after a worker restart) begins, before the key is there. */
  onUnlockStarted(listener: () => void): () => void;
  /** Called synchronously while the key is still there, just before a lock wipes it. */
  onBeforeLock(listener: () => void): () => void;
  onUnlock(listener: () => void): () => void;
}

/** Where the records behind a snapshot come from while a first download is still running. */
export interface RecordSource {
  /** Resolves once every record has arrived (a download cut off goes on with the next sync). */
  done: Promise<void>;
  /** One record from the server, stored here as the download would have; undefined if it has none. */
  fetch(id: string): Promise<EntryRecord | undefined>;
}

export interface PasswordInfo {
  revision: number;
  password: string;
  changedAt: number;
}

export interface VaultService {
  /** Every entry's overview but those in the trash, decrypted once after unlock and kept in memory. Throws LOCKED. */
  summaries(): Promise<EntrySummary[]>;
  listing(): Promise<VaultListing>;
  /** The whole entry, password and notes included. */
  get(id: string): Promise<Entry>;
  /**
   * The password of each of these entries, its revision and when it last changed, for the health
   * service only: it never leaves the background. Entries gone or unreadable are left out.
   */
  passwords(ids: string[]): Promise<Map<string, PasswordInfo>>;
  /** A change over a newer revision is merged with `baseFields` when the write has them (SavedEntry.conflictCopy). */
  save(input: EntryWrite): Promise<SavedEntry>;
  /** Deletes the entry for good (a deletion sync sends to every device). */
  remove(id: string): Promise<void>;
  /** The entries in the trash; summaries() and listing() leave them out. */
  trashed(): Promise<EntrySummary[]>;
  /** Moves the entry to the trash at `trashedAt`, or out of it (null): an edit that syncs. */
  setTrashed(id: string, trashedAt: number | null): Promise<EntrySummary>;
  /**
   * New entries (no id) and changed ones, validated and sealed as save() does, written in one
   * transaction: one invalid or conflicting item writes nothing. `onProgress` hears how many are
   * sealed and handed to the store so far (they are all there, or none, when the promise settles).
   */
  writeBatch(items: EntryWrite[], onProgress?: (written: number) => void): Promise<EntrySummary[]>;
  /** Re-reads these records from the store after sync changed them. */
  refresh(ids: string[]): Promise<void>;
  /**
   * Lists the vault from a sealed snapshot before its records have arrived (first sign-in). False if
   * it does not open with this user key, or lists too few entries to be worth it. Records not here yet are fetched one by one from `source`.
   */
  adoptSnapshot(sealed: Uint8Array, source: RecordSource): boolean;
  /** The current overview as a sealed snapshot, to upload; undefined while not fully loaded or small. */
  sealedSnapshot(): Promise<Uint8Array | undefined>;
  /** Called after any local or synced change, with the ids it touched (null: too many to name). */
  onChange(listener: (change: VaultChange) => void): () => void;
}
