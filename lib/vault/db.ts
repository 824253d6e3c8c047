// The device's encrypted store: one Dexie database, versioned. Records hold only ciphertext plus
// the ids, revisions and timestamps needed to sort and sync.
import Dexie, { type Table } from 'dexie';
import type { KdfParams } from '../crypto/kdf';
import type { ErrorCode } from '../errors';

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
  /** Sync state (schema v2). The server's revision this record was last synced at; 0: never. */
  serverRevision?: number;
  /** 1 while the record has local changes the server has not acknowledged. */
  dirty?: 0 | 1;
  /** 1 for a deletion that still has to reach the server. */
  deleted?: 0 | 1;
  /** The record as last synced (encoded for the server), the common base of a three-way merge. */
  base?: string;
  /** Schema v9. The share key epoch its item key is wrapped under; absent (0) in the personal vault. */
  keyEpoch?: number;
}

/**
 * What this device has seen of one entry from the server, kept after the entry is deleted: the
 * highest content revision accepted or acknowledged (a server that replays an older version is
 * refused, SECURITY.md item 26), and the problem with the last record refused, shown to the person
 * until a good version arrives or theirs reaches the server.
 */
export interface EntryMark {
  id: string;
  revision: number;
  /** The entry was deleted after that revision: bringing it back takes a newer one. */
  deleted?: boolean;
  problem?: { code: ErrorCode; message: string };
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

/** Why this device is no longer signed in to its server account. */
export type SignedOutReason = 'signed-out' | 'ended-elsewhere' | 'password-changed';

export interface SettingsRecord {
  key: 'settings';
  idleMinutes: number;
  /** Lock when the computer locks; absent (older records) means on. */
  lockOnSystemLock?: boolean;
  /** The account this device last synced with, kept after signing out so signing in again is one step. */
  lastAccount?: { serverUrl: string; username: string; reason: SignedOutReason };
}

/** The companion server this vault syncs with. The session token is sealed with the user key. */
export interface SyncRecord {
  key: 'sync';
  serverUrl: string;
  username: string;
  userId: string;
  sealedToken: Uint8Array;
  /**
   * The watermark: the account's change number when this device last pulled. It moves with every
   * change to a container the account can read and to its directory, so "nothing new" is one
   * number compared on the server.
   */
  cursor: number;
  /** Schema v8. How far this device has pulled each container, by its id on the server. */
  cursors: Record<string, number>;
  lastSyncAt: number;
  /** Changes pushed since this device last uploaded an overview snapshot, and when it did. */
  snapshotChanges?: number;
  snapshotUploadedAt?: number;
}

/** Every entry's overview in one sealed blob, so unlocking opens one ciphertext instead of 20,000. */
export interface SnapshotRecord {
  key: 'snapshot';
  sealed: Uint8Array;
}

/**
 * One link share this device created: the link's secret, server, title and entries, sealed with
 * the user key (lib/vault/link-rows.ts), so "Copy the link again" works and nothing of it is in the clear.
 */
export interface LinkRow {
  id: string;
  createdAt: number;
  sealed: Uint8Array;
}

/**
 * The public keys I pinned for one connected person, signed with my signing key and sealed with
 * the user key (lib/sharing/pins.ts), so the server cannot swap the keys I seal messages to.
 */
export interface PinRow {
  userId: string;
  sealed: Uint8Array;
}

/**
 * One share this device knows of (schema v9): its share keys per epoch, each wrapped with the user
 * key (associated data: container and epoch), the last roster verified (the anchor the next epoch
 * is checked against), and what the directory and shares.get last said of it.
 */
export interface ShareRow {
  container: string;
  /** Wrapped share keys by epoch; empty while the share is only offered. */
  keys: { epoch: number; wrapped: Uint8Array }[];
  /** The last verified roster (wire string), sealed with the user key; absent while only offered. */
  roster?: Uint8Array;
  /** The share's current epoch as the directory last listed it. */
  epoch: number;
  role: 'read' | 'write' | 'grant';
  accepted: boolean;
  rotationDue: boolean;
  ownerId: string;
  /** The members as shares.get last listed them (public facts only). */
  members: ShareMemberRow[];
  /** The folder a folder share carries, when this device created it (or learned it). */
  folder?: string;
  /** Entries whose password members with grant are asked to change (a member who could read it was removed). */
  considerChanging?: string[];
  offeredAt?: number;
}

export interface ShareMemberRow {
  userId: string;
  username: string;
  boxPublicKey: string;
  signingPublicKey: string;
  role: 'read' | 'write' | 'grant';
  grantedBy: string;
  expiresAt: number | null;
  acceptedAt: number | null;
}

export type MetaRecord = AccountRecord | SettingsRecord | SyncRecord | SnapshotRecord;

export const DB_NAME = 'latchkey';

/**
 * Each version lists its stores; a version that changes the shape of existing rows adds an
 * upgrade function. Dexie runs every step from the version on disk to the newest in order.
 */
export class VaultDb extends Dexie {
  entries!: Table<EntryRecord, string>;
  meta!: Table<MetaRecord, string>;
  marks!: Table<EntryMark, string>;
  links!: Table<LinkRow, string>;
  pins!: Table<PinRow, string>;
  shares!: Table<ShareRow, string>;

  constructor(name = DB_NAME) {
    // 'strict' durability: a transaction reports success only once its data is flushed to disk,
    // so a save the person saw confirmed survives the browser being killed.
    super(name, { chromeTransactionDurability: 'strict' });
    this.version(1).stores({
      entries: '&id, updatedAt',
      meta: '&key',
    });
    // v2: sync. Every entry written before sync existed has never reached a server.
    this.version(2)
      .stores({ entries: '&id, updatedAt, dirty' })
      .upgrade((tx) =>
        tx
          .table('entries')
          .toCollection()
          .modify((r: EntryRecord) => {
            r.serverRevision = 0;
            r.dirty = 1;
            r.deleted = 0;
          }),
      );
    // v3: an index of (id, revision), so unlock can check the overview snapshot without reading records.
    this.version(3).stores({ entries: '&id, updatedAt, dirty, [id+revision]' });
    // v4: unlock reads only the ids (the primary keys); the (id, revision) index is dropped, which
    // also makes every write cheaper.
    this.version(4).stores({ entries: '&id, updatedAt, dirty' });
    // v5: the revision seen of each entry, deleted ones included, and records refused by sync.
    this.version(5).stores({ marks: '&id' });
    // v6: the link shares this device created, sealed.
    this.version(6).stores({ links: '&id' });
    // v7: the public keys pinned for each connected person, signed and sealed.
    this.version(7).stores({ pins: '&userId' });
    // v8: a cursor per container. Until now the one cursor was the personal vault's, whose id on
    // the server is the account's, and the server started that container's sequence at it.
    this.version(8)
      .stores({})
      .upgrade((tx) =>
        tx
          .table('meta')
          .where('key')
          .equals('sync')
          .modify((r: SyncRecord) => {
            r.cursors = { [r.userId]: r.cursor };
          }),
      );
    // v9: the shares this device is a member of (or is offered), with their keys per epoch.
    this.version(9).stores({ shares: '&container' });
  }
}
