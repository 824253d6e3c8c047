// The device's encrypted store: one Dexie database, versioned. Records hold only ciphertext plus
// the ids, revisions and timestamps needed to sort and sync.
import Dexie, { type Table } from 'dexie';
import type { KdfParams } from '../crypto/kdf';

/** One entry as stored: an item key wrapped by its container's key, and two sealed halves. */
export interface EntryRecord {
  id: string;
  /** Content revision: bumped by every save, bound into the associated data of both halves. */
  revision: number;
  /** 'personal' (the user key) or a share id (a share key, later). */
  container: string;
  itemKey: Uint8Array;
  overview: Uint8Array;
  details: Uint8Array;
  createdAt: number;
  updatedAt: number;
}

/** The local account: everything needed to unlock, nothing usable without the master password. */
export interface AccountRecord {
  key: 'account';
  userId: string;
  kdf: KdfParams;
  salt: Uint8Array;
  wrappedUserKey: Uint8Array;
  boxPublicKey: Uint8Array;
  signingPublicKey: Uint8Array;
  sealedPrivateKeys: Uint8Array;
  createdAt: number;
}

export interface SettingsRecord {
  key: 'settings';
  idleMinutes: number;
}

export type MetaRecord = AccountRecord | SettingsRecord;

export const DB_NAME = 'latchkey';

/**
 * Each version lists its stores; a version that changes the shape of existing rows adds an
 * upgrade function. Dexie runs every step from the version on disk to the newest in order.
 */
export class VaultDb extends Dexie {
  entries!: Table<EntryRecord, string>;
  meta!: Table<MetaRecord, string>;

  constructor(name = DB_NAME) {
    // 'strict' durability: a transaction reports success only once its data is flushed to disk,
    // so a save the person saw confirmed survives the browser being killed.
    super(name, { chromeTransactionDurability: 'strict' });
    this.version(1).stores({
      entries: '&id, updatedAt',
      meta: '&key',
    });
  }
}
