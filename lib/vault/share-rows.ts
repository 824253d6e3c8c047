// The shares of this device (schema v9): each share key wrapped with the user key, bound to its
// container and epoch, and the last verified roster sealed with the user key, so a store changed
// outside Latchkey can neither swap a key nor move the anchor the next epoch is verified against.
import { associatedData } from '../crypto/ad';
import { open, seal } from '../crypto/aead';
import { fromUtf8, utf8 } from '../crypto/encoding';
import { unwrapKey, wrapKey } from '../crypto/keys';
import type { ShareRow, VaultDb } from './db';

const keyAd = (container: string, epoch: number) => associatedData({ kind: 'share-key', id: container, field: 'device', container, revision: epoch });
const rosterAd = (container: string) => associatedData({ kind: 'share-key', id: container, field: 'roster', container });

export function wrapShareKey(userKey: Uint8Array, container: string, epoch: number, shareKey: Uint8Array): Uint8Array {
  return wrapKey(userKey, shareKey, keyAd(container, epoch));
}

export function unwrapShareKey(userKey: Uint8Array, container: string, epoch: number, wrapped: Uint8Array): Uint8Array {
  return unwrapKey(userKey, wrapped, keyAd(container, epoch));
}

export function sealRoster(userKey: Uint8Array, container: string, roster: string): Uint8Array {
  return seal(userKey, utf8(roster), rosterAd(container));
}

export function openRoster(userKey: Uint8Array, container: string, sealed: Uint8Array): string {
  return fromUtf8(open(userKey, sealed, rosterAd(container)));
}

export interface ShareRows {
  all(): Promise<ShareRow[]>;
  get(container: string): Promise<ShareRow | undefined>;
  put(row: ShareRow): Promise<void>;
  /** The share ended for me: its row, its entries (and their marks) and its cursor go. */
  forget(container: string): Promise<string[]>;
}

export function createShareRows(db: VaultDb): ShareRows {
  return {
    all: () => db.shares.toArray(),
    get: (container) => db.shares.get(container),
    async put(row) {
      await db.shares.put(row);
    },
    forget(container) {
      return db.transaction('rw', db.shares, db.entries, db.marks, async () => {
        await db.shares.delete(container);
        const ids = await db.entries.filter((r) => r.container === container).primaryKeys();
        await db.entries.bulkDelete(ids);
        // No floor kept: the entry may come back in another container (moved back to its owner).
        await db.marks.bulkDelete(ids);
        return ids;
      });
    },
  };
}
