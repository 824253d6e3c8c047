// Starts the companion server: `npm run server` (or `tsx server/index.ts`). Configured by PORT,
// HOST, DATABASE_URL, DATA_DIR, SMTP_URL (see config.ts). Logs one line; never a body or a token.
import { createServer, shutdown } from './app.ts';
import { configFromEnv } from './config.ts';
import { openDatabase } from './db/index.ts';
import { migrateToLatest } from './db/migrations.ts';
import { loadDeps } from './deps.ts';
import { startSweeper } from './sweeper.ts';

async function main(): Promise<void> {
  const config = configFromEnv();
  const database = openDatabase(config);
  await migrateToLatest(database.db);
  const deps = await loadDeps(database, config);
  const server = createServer(deps);
  const sweeper = startSweeper(deps);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const storage = database.kind === 'postgres' ? 'PostgreSQL' : `SQLite in ${config.dataDir}`;
  console.log(`Latchkey server listening on http://${host}:${port} (${storage})`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await shutdown(server);
    await sweeper.stop();
    await deps.tasks.drain();
    deps.mailer.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((e: unknown) => {
  console.error(`Latchkey server could not start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
