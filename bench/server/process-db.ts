// The database a benchmark's server runs on: SQLite in the server's data folder (an empty URL), or
// a fresh database in a throwaway PostgreSQL cluster (scripts/pg.mjs), pinned like the server.
import pg from 'pg';
import { cpuPlan } from './cpus';

export interface BenchDatabase {
  /** DATABASE_URL for the server: empty for SQLite. */
  url: string;
  stop(): Promise<void>;
}

export async function postgresDatabase(kind: 'sqlite' | 'postgres', name: string): Promise<BenchDatabase> {
  if (kind === 'sqlite') return { url: '', stop: async () => {} };
  const { startPostgres } = (await import('../../scripts/pg.mjs')) as { startPostgres(options?: { pin?: string[] }): Promise<{ url: string; stop(): Promise<void> }> };
  const cluster = await startPostgres({ pin: cpuPlan().server });
  try {
    const admin = new pg.Client({ connectionString: cluster.url.replace(/\/[^/]+$/, '/postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return { url: cluster.url.replace(/\/[^/]+$/, `/${name}`), stop: () => cluster.stop() };
}
