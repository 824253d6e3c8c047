// Reads and writes of the encrypted store. Every change is one transaction.
import { AppError } from '../errors';
import type { AccountRecord, EntryRecord, SettingsRecord } from './db';
import { VaultDb } from './db';

export const DEFAULT_IDLE_MINUTES = 15;

export interface VaultRepository {
  account(): Promise<AccountRecord | undefined>;
  createAccount(account: AccountRecord): Promise<void>;
  replaceAccount(account: AccountRecord): Promise<void>;
  settings(): Promise<SettingsRecord>;
  putSettings(settings: Omit<SettingsRecord, 'key'>): Promise<void>;
  allEntries(): Promise<unknown[]>;
  entry(id: string): Promise<unknown | undefined>;
  /** Writes the record only if the stored one still has `expectedRevision` (0: must not exist). */
  putEntry(record: EntryRecord, expectedRevision: number): Promise<void>;
  putEntries(records: EntryRecord[]): Promise<void>;
  deleteEntry(id: string): Promise<void>;
  close(): void;
}

export function createVaultRepository(db: VaultDb = new VaultDb()): VaultRepository {
  return {
    async account() {
      return (await db.meta.get('account')) as AccountRecord | undefined;
    },
    async createAccount(account) {
      await db.transaction('rw', db.meta, async () => {
        if (await db.meta.get('account')) throw new AppError('VAULT_EXISTS', 'This browser already has a Latchkey vault. Unlock it instead.');
        await db.meta.put(account);
      });
    },
    async replaceAccount(account) {
      await db.meta.put(account);
    },
    async settings() {
      const s = (await db.meta.get('settings')) as SettingsRecord | undefined;
      return s ?? { key: 'settings', idleMinutes: DEFAULT_IDLE_MINUTES };
    },
    async putSettings(settings) {
      await db.meta.put({ ...settings, key: 'settings' });
    },
    async allEntries() {
      return db.entries.toArray();
    },
    async entry(id) {
      return db.entries.get(id);
    },
    async putEntry(record, expectedRevision) {
      await db.transaction('rw', db.entries, async () => {
        const current = await db.entries.get(record.id);
        const currentRevision = current?.revision ?? 0;
        if (currentRevision !== expectedRevision) {
          throw new AppError('CONFLICT', `Entry ${record.id} was changed elsewhere while you edited it. Reopen it to see the latest version.`, { subject: record.id });
        }
        await db.entries.put(record);
      });
    },
    async putEntries(records) {
      await db.transaction('rw', db.entries, async () => {
        await db.entries.bulkPut(records);
      });
    },
    async deleteEntry(id) {
      await db.entries.delete(id);
    },
    close() {
      db.close();
    },
  };
}
