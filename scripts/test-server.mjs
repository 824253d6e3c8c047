// Runs the server test suite on SQLite (a temporary data folder) and on a throwaway PostgreSQL 15
// cluster, which is always stopped afterwards. Exits non-zero if any run fails.
//   node scripts/test-server.mjs [--db sqlite|postgres] [--report file.json] [vitest args…]
// --db runs one database only; --report writes vitest's JSON report there (with two databases,
// as file.sqlite.json and file.postgres.json).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from './pg.mjs';
import { takeOption } from './args.mjs';

const args = process.argv.slice(2);
const only = takeOption(args, '--db');
const report = takeOption(args, '--report');
if (only && !['sqlite', 'postgres'].includes(only)) {
  console.error(`--db must be sqlite or postgres, not "${only}"`);
  process.exit(2);
}
const databases = only ? [only] : ['sqlite', 'postgres'];

function vitest(db, label, env) {
  console.log(`\n=== server tests on ${label} ===\n`);
  const reporting = report
    ? ['--reporter=default', '--reporter=json', `--outputFile.json=${only ? report : report.replace(/(\.json)?$/, `.${db}.json`)}`]
    : [];
  return new Promise((resolve) => {
    const child = spawn('npx', ['vitest', 'run', '--project', 'server', ...reporting, ...args], { stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(1));
  });
}

const results = [];
let cluster = null;
const cleanup = async () => {
  const c = cluster;
  cluster = null;
  await c?.stop();
};
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    void cleanup().finally(() => process.exit(130));
  });
}

if (databases.includes('sqlite')) {
  const dataDir = await mkdtemp(join(tmpdir(), 'latchkey-server-tests-'));
  try {
    const env = { ...process.env, DATA_DIR: dataDir };
    delete env.DATABASE_URL;
    results.push({ label: `SQLite (DATA_DIR=${dataDir})`, code: await vitest('sqlite', 'SQLite', env) });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (databases.includes('postgres')) {
  try {
    cluster = await startPostgres();
    // The restart test (tests/server/database-restart.test.ts) restarts this cluster by its folder.
    const env = { ...process.env, DATABASE_URL: cluster.url, LATCHKEY_TEST_PG_DIR: cluster.dir };
    results.push({ label: `PostgreSQL 15 (${cluster.url})`, code: await vitest('postgres', `PostgreSQL 15 at ${cluster.url}`, env) });
  } catch (e) {
    console.error(`Could not run the PostgreSQL pass: ${e instanceof Error ? e.message : e}`);
    results.push({ label: 'PostgreSQL 15 (cluster did not start)', code: 1 });
  } finally {
    await cleanup();
  }
}

console.log('\n=== server tests: summary ===');
for (const r of results) console.log(`${r.code === 0 ? 'passed' : 'FAILED'}  ${r.label}`);
process.exit(results.every((r) => r.code === 0) ? 0 : 1);
