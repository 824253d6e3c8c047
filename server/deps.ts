// What every request needs from the process: the database, the settings, the clock. Nothing here
// changes after start-up, so any number of processes on one database behave as one server.
import type { ServerConfig } from './config.ts';
import type { Database } from './db/index.ts';

export interface Deps {
  database: Database;
  config: ServerConfig;
  /** Per-database secret for the no-enumeration pre-login answer (read from the database). */
  preloginSecret: Buffer;
  /** Milliseconds since the epoch; tests move it. */
  now: () => number;
}

export async function loadDeps(database: Database, config: ServerConfig, now: () => number = Date.now): Promise<Deps> {
  const row = await database.db
    .selectFrom('server_secrets')
    .select('value')
    .where('name', '=', 'prelogin')
    .executeTakeFirstOrThrow();
  return { database, config, preloginSecret: Buffer.from(row.value, 'base64url'), now };
}
