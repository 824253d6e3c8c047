// Schema migrations, run by Kysely's Migrator at start-up: one file each in ./migrations/. Append
// new migrations; never edit one that has shipped. The same code runs on SQLite and PostgreSQL.
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import accountsSessionsVault from './migrations/0001_accounts_sessions_vault.ts';
import vaultSnapshots from './migrations/0002_vault_snapshots.ts';
import quotaLimitsEmailConfirmation from './migrations/0003_quota_limits_email_confirmation.ts';
import linkShares from './migrations/0004_link_shares.ts';
import peopleMessages from './migrations/0005_people_messages.ts';
import containers from './migrations/0006_containers.ts';
import shares from './migrations/0007_shares.ts';

export { RECORD_OVERHEAD_BYTES } from './migrations/common.ts';

const migrations: Record<string, Migration> = {
  '0001_accounts_sessions_vault': accountsSessionsVault,
  '0002_vault_snapshots': vaultSnapshots,
  '0003_quota_limits_email_confirmation': quotaLimitsEmailConfirmation,
  '0004_link_shares': linkShares,
  '0005_people_messages': peopleMessages,
  '0006_containers': containers,
  '0007_shares': shares,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Bring the database to the named migration (tests of a migration start from the one before). */
export async function migrateTo(db: Kysely<any>, name: string): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

/** Bring the database to the latest schema. Safe to call from several processes at once on PostgreSQL. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
