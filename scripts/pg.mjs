// A throwaway PostgreSQL 15 cluster for tests and manual runs: startPostgres() → { url, stop(),
// restart() }; restartPostgres(dir) restarts one from another process (the server suite's
// restart test, which finds the folder in LATCHKEY_TEST_PG_DIR).
// As a CLI (`node scripts/pg.mjs`) it prints the URL and stops the cluster on Ctrl-C or SIGTERM.
import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const PG_USER = 'postgres';
const DATABASE = 'latchkey_test';

/**
 * Run a PostgreSQL binary as the postgres user (the server refuses to run as root), after `prefix`
 * (e.g. ['taskset', '-c', '1'], which the server and every backend it forks inherit).
 */
function asPostgres(binary, args, prefix = []) {
  const cmd = join(BIN, binary);
  const argv = process.getuid?.() === 0 ? ['runuser', '-u', PG_USER, '--', cmd, ...args] : [cmd, ...args];
  const full = [...prefix, ...argv];
  return run(full[0], full.slice(1));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function ownedByPostgres(dir) {
  if (process.getuid?.() !== 0) return;
  const { stdout } = await run('id', ['-u', PG_USER]);
  const { stdout: gid } = await run('id', ['-g', PG_USER]);
  await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  await chmod(dir, 0o700);
}

/**
 * Restart the cluster in `dir` (a folder startPostgres made): a fast shutdown, which ends every
 * connection the way a database restart or failover does, then start again on the same port.
 * Resolves once it accepts connections again.
 * @param {string} dir
 */
export async function restartPostgres(dir) {
  // pg_ctl keeps the options of the last start (postmaster.opts); the log must go to the file
  // again, or the server would hold pg_ctl's output pipe open.
  await asPostgres('pg_ctl', ['restart', '-D', join(dir, 'data'), '-l', join(dir, 'postgres.log'), '-m', 'fast', '-w', '-t', '60']);
}

/**
 * Start a fresh cluster in a temporary directory, listening on 127.0.0.1 on a free port, with a
 * database `latchkey_test`. Trust authentication: for tests only. `pin` is a command prefix for
 * the server (benchmarks pin it to the core of the server under test).
 * @param {{ pin?: string[] }} [options]
 * @returns {Promise<{ url: string, port: number, dir: string, stop: () => Promise<void>, restart: () => Promise<void> }>}
 */
export async function startPostgres(options = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-pg-'));
  await ownedByPostgres(dir);
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  let started = false;
  const stop = async () => {
    if (started) {
      started = false;
      await asPostgres('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w']).catch(() => {});
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await asPostgres('initdb', ['-D', data, '-U', PG_USER, '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    let port = 0;
    // Another process may take the port between freePort() and the bind: try a few times.
    for (let attempt = 0; ; attempt++) {
      port = await freePort();
      const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c max_connections=300`;
      try {
        await asPostgres('pg_ctl', ['start', '-D', data, '-l', log, '-w', '-t', '60', '-o', serverOptions], options.pin);
        started = true;
        break;
      } catch (e) {
        if (attempt >= 2) throw e;
      }
    }
    const admin = new pg.Client({ connectionString: `postgres://${PG_USER}@127.0.0.1:${port}/postgres` });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${DATABASE}`);
    } finally {
      await admin.end();
    }
    return { url: `postgres://${PG_USER}@127.0.0.1:${port}/${DATABASE}`, port, dir, stop, restart: () => restartPostgres(dir) };
  } catch (e) {
    await stop();
    throw e;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const cluster = await startPostgres();
  console.log(`PostgreSQL is running: DATABASE_URL=${cluster.url}`);
  console.log('Press Ctrl-C to stop it and delete its files.');
  const shutdown = async () => {
    await cluster.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // Signal handlers alone do not keep Node running.
  setInterval(() => {}, 1 << 30);
}
