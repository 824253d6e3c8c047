// What every request needs from the process: the database, the settings, the clock. Nothing here
// changes after start-up, so any number of processes on one database behave as one server.
import type { ServerConfig } from './config.ts';
import type { Database } from './db/index.ts';
import { loadLinkPepper, LinkKeys } from './links/pepper.ts';
import { createMailer, type Mailer } from './mail.ts';
import { createTasks, type Tasks } from './tasks.ts';

export interface Deps {
  database: Database;
  config: ServerConfig;
  /** Per-database secret for the no-enumeration pre-login answer (read from the database). */
  preloginSecret: Buffer;
  /** Milliseconds since the epoch; tests move it. */
  now: () => number;
  mailer: Mailer;
  /** Work after the answer (mail): see tasks.ts. */
  tasks: Tasks;
  /** Link-share values under the pepper kept outside the database (server/links/pepper.ts). */
  linkKeys: LinkKeys;
}

export async function loadDeps(
  database: Database,
  config: ServerConfig,
  now: () => number = Date.now,
  options: { mailer?: Mailer; linkPepper?: Buffer } = {},
): Promise<Deps> {
  const row = await database.db
    .selectFrom('server_secrets')
    .select('value')
    .where('name', '=', 'prelogin')
    .executeTakeFirstOrThrow();
  return {
    database,
    config,
    preloginSecret: Buffer.from(row.value, 'base64url'),
    now,
    mailer: options.mailer ?? createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom }),
    tasks: createTasks(),
    linkKeys: new LinkKeys(options.linkPepper ?? loadLinkPepper(config)),
  };
}
