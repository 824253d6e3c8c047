// The pinned keys of connected people on this device: each row sealed with the user key and
// signed with my signing key (lib/sharing/pins.ts). A row that does not open is reported, never
// replaced silently: a swapped pin would be the attack it exists to stop.
import type { PinnedKeys } from '../sharing/pins';
import { openPins, sealPins } from '../sharing/pins';
import type { VaultDb } from './db';

/** What the rows need of my identity: the user key, and my signing key pair. */
export interface PinKeys {
  userKey: Uint8Array;
  signingPublicKey: Uint8Array;
  signingPrivateKey?: Uint8Array;
}

export interface PinRows {
  /** The pinned keys of this person; 'damaged' when a row is there but does not open. */
  get(keys: PinKeys, userId: string): Promise<PinnedKeys | 'damaged' | undefined>;
  put(keys: Required<PinKeys>, pins: PinnedKeys): Promise<void>;
  remove(userId: string): Promise<void>;
}

export function createPinRows(db: VaultDb): PinRows {
  return {
    async get(keys, userId) {
      const row = await db.pins.get(userId);
      if (!row) return undefined;
      try {
        return openPins(keys.userKey, keys.signingPublicKey, userId, row.sealed);
      } catch {
        return 'damaged';
      }
    },
    async put(keys, pins) {
      await db.pins.put({ userId: pins.userId, sealed: sealPins(keys.userKey, keys.signingPrivateKey, pins) });
    },
    async remove(userId) {
      await db.pins.delete(userId);
    },
  };
}
