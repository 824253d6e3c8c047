// Upgrades of the device's store (lib/vault/db.ts): a database written by the previous version is
// opened by the current one, as a browser that updates Latchkey does.
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { VaultDb } from '../../../lib/vault/db';

/** A database as version 7 left it, holding these meta rows. */
async function version7(rows: object[]): Promise<string> {
  const name = `db-upgrade-${Math.random().toString(36).slice(2)}`;
  const old = new Dexie(name);
  old.version(7).stores({ entries: '&id, updatedAt, dirty', meta: '&key', marks: '&id', links: '&id', pins: '&userId' });
  await old.table('meta').bulkPut(rows);
  old.close();
  return name;
}

const sync = { key: 'sync', serverUrl: 'http://127.0.0.1:8787', username: 'ann', userId: 'user-1', sealedToken: new Uint8Array([1, 2, 3]), cursor: 42, lastSyncAt: 7 };
const settings = { key: 'settings', idleMinutes: 15 };

describe('VaultDb upgrades', () => {
  it('v8: the one cursor of a synced vault becomes the personal container’s, and stays the watermark', async () => {
    const db = new VaultDb(await version7([sync, settings]));
    expect(await db.meta.get('sync')).toEqual({ ...sync, cursors: { 'user-1': 42 } });
    expect(await db.meta.get('settings')).toEqual(settings);
    db.close();
  });

  it('v8: a vault that never synced opens with no sync record', async () => {
    const db = new VaultDb(await version7([settings]));
    expect(await db.meta.get('sync')).toBeUndefined();
    expect(await db.meta.get('settings')).toEqual(settings);
    db.close();
  });
});
