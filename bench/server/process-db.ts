// The database a benchmark's server runs on: SQLite in the server's data folder (an empty URL), or
// a fresh database in a throwaway PostgreSQL cluster (scripts/pg.mjs), pinned like the server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Row } from '../lib/report';
import { cpuPlan } from './cpus';
import { startChild } from './process';

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

/**
 * The companion server (pinned, on loopback) on each database in turn, fresh for each; `measure`
 * gets its address and the database's label (SQLite, PostgreSQL).
 */
export async function onEachDatabase(
  databases: ('sqlite' | 'postgres')[],
  name: string,
  env: Record<string, string>,
  measure: (url: string, label: string) => Promise<Row[]>,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const kind of databases) {
    const database = await postgresDatabase(kind, `latchkey_bench_${name}`);
    try {
      const dataDir = mkdtempSync(join(tmpdir(), `latchkey-bench-${name}-`));
      const server = await startChild(['server/index.ts'], { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: database.url, ...env }, cpuPlan().server);
      try {
        rows.push(...(await measure(server.url, kind === 'sqlite' ? 'SQLite' : 'PostgreSQL')));
      } finally {
        await server.stop();
      }
    } finally {
      await database.stop();
    }
  }
  return rows;
}
