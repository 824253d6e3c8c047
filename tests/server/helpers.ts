// Test databases and fixtures for the server suite. Each test file gets its own database: a temp
// folder on SQLite, a fresh PostgreSQL database (on the cluster DATABASE_URL points at) otherwise.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createServer, shutdown } from '../../server/app.ts';
import { DEFAULT_CONFIG, type ServerConfig } from '../../server/config.ts';
import { createContextInner } from '../../server/context.ts';
import { isPostgresUrl, openDatabase, type Database } from '../../server/db/index.ts';
import { migrateToLatest } from '../../server/db/migrations.ts';
import { loadDeps, type Deps } from '../../server/deps.ts';
import type { Mailer, MailMessage } from '../../server/mail.ts';
import { appRouter } from '../../server/routers/_app.ts';
import { createCallerFactory } from '../../server/trpc.ts';

export const DATABASE_URL = process.env.DATABASE_URL;
export const isPostgres = isPostgresUrl(DATABASE_URL);
export const databaseName = isPostgres ? 'PostgreSQL' : 'SQLite';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface TestDatabase {
  database: Database;
  /** Environment that points a server process at this same database. */
  env: Record<string, string>;
  /** A second, independent connection to the same database (what another process would have). */
  reopen(): Database;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (isPostgres) {
    const name = `lk_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(DATABASE_URL!);
    url.pathname = `/${name}`;
    const databaseUrl = url.toString();
    const database = openDatabase({ databaseUrl, dataDir: '' });
    await migrateToLatest(database.db);
    const opened: Database[] = [database];
    return {
      database,
      env: { DATABASE_URL: databaseUrl },
      reopen: () => {
        const d = openDatabase({ databaseUrl, dataDir: '' });
        opened.push(d);
        return d;
      },
      async drop() {
        await drainTasks(opened);
        for (const d of opened) await d.close().catch(() => {});
        const c = new pg.Client({ connectionString: DATABASE_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'latchkey-test-'));
  const database = openDatabase({ dataDir });
  await migrateToLatest(database.db);
  const opened: Database[] = [database];
  return {
    database,
    env: { DATA_DIR: dataDir, DATABASE_URL: '' },
    reopen: () => {
      const d = openDatabase({ dataDir });
      opened.push(d);
      return d;
    },
    async drop() {
      await drainTasks(opened);
      for (const d of opened) await d.close().catch(() => {});
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The link pepper of every test Deps in this process (a real server makes its own, see server/links/pepper.ts). */
export const TEST_LINK_PEPPER = randomBytes(32);

/** A clock the tests move by hand. */
export function createClock(start = Date.now()) {
  let time = start;
  return {
    now: () => time,
    advance(ms: number) {
      time += ms;
    },
  };
}

export type Clock = ReturnType<typeof createClock>;

/** A mailer that keeps what it is given (tests of mail itself use a real SMTP server instead). */
export function memoryMailer(): Mailer & { sent: MailMessage[] } {
  const sent: MailMessage[] = [];
  return { sent, sendMail: async (m) => void sent.push(m), close() {} };
}

/**
 * Deps for a test. Registrations are not rate-limited here unless the test sets
 * registrationLimit (suites register many accounts from 127.0.0.1), and mail is kept in memory.
 */
export async function createTestDeps(database: Database, opts: { config?: Partial<ServerConfig>; clock?: Clock; mailer?: Mailer } = {}): Promise<Deps> {
  const config = { ...DEFAULT_CONFIG, registrationLimit: { max: 100_000, windowMs: 3600_000 }, ...opts.config };
  const deps = await loadDeps(database, config, opts.clock?.now ?? Date.now, {
    mailer: opts.mailer ?? memoryMailer(),
    linkPepper: config.linkPepper ? undefined : TEST_LINK_PEPPER,
  });
  depsOf.set(database, [...(depsOf.get(database) ?? []), deps]);
  return deps;
}

/** Every Deps made on a database, so its drop() can wait for their mail before closing it. */
const depsOf = new Map<Database, Deps[]>();

async function drainTasks(databases: Database[]): Promise<void> {
  for (const d of databases) {
    for (const deps of depsOf.get(d) ?? []) await deps.tasks.drain();
    depsOf.delete(d);
  }
}

const createCaller = createCallerFactory(appRouter);

export function caller(deps: Deps, token: string | null = null, ip = '127.0.0.1', signal?: AbortSignal) {
  return createCaller(createContextInner({ deps, token, ip }), { signal });
}

export const b64 = (bytes: number) => randomBytes(bytes).toString('base64url');
export const recordId = () => b64(16);

export const KDF = { algorithm: 'argon2id' as const, memoryKiB: 65536, passes: 3, lanes: 4 };

export function registration(username: string) {
  return {
    username,
    email: `${username}@example.com`,
    authKey: b64(32),
    salt: b64(16),
    kdf: { ...KDF },
    wrappedUserKey: b64(72),
    identity: { boxPublicKey: b64(32), signingPublicKey: b64(32), sealedPrivateKeys: b64(120) },
  };
}

export async function signUp(deps: Deps, username: string) {
  const input = registration(username);
  const { token, userId } = await caller(deps).account.register(input);
  return { token, userId, input, api: caller(deps, token) };
}

/** Every row of every table, in a stable order: equal snapshots mean nothing changed. */
export async function snapshot(database: Database): Promise<Record<string, unknown[]>> {
  const { db } = database;
  return {
    users: await db.selectFrom('users').selectAll().orderBy('id').execute(),
    sessions: await db.selectFrom('sessions').selectAll().orderBy('token_hash').execute(),
    rate_limits: await db.selectFrom('rate_limits').selectAll().orderBy('key').execute(),
    containers: await db.selectFrom('containers').selectAll().orderBy('id').execute(),
    vault_records: await db.selectFrom('vault_records').selectAll().orderBy('container_id').orderBy('id').execute(),
    container_members: await db.selectFrom('container_members').selectAll().orderBy('container_id').orderBy('user_id').execute(),
    share_rosters: await db.selectFrom('share_rosters').selectAll().orderBy('container_id').orderBy('epoch').execute(),
    share_keys: await db.selectFrom('share_keys').selectAll().orderBy('container_id').orderBy('epoch').orderBy('user_id').execute(),
    server_secrets: await db.selectFrom('server_secrets').selectAll().orderBy('name').execute(),
    links: await db.selectFrom('links').selectAll().orderBy('id').execute(),
    link_records: await db.selectFrom('link_records').selectAll().orderBy('link_id').orderBy('record_id').execute(),
    link_emails: await db.selectFrom('link_emails').selectAll().orderBy('link_id').orderBy('email_hash').execute(),
    connections: await db.selectFrom('connections').selectAll().orderBy('user_a').orderBy('user_b').execute(),
    invitations: await db.selectFrom('invitations').selectAll().orderBy('id').execute(),
    messages: await db.selectFrom('messages').selectAll().orderBy('id').execute(),
  };
}

/** The real HTTP server in this process, on an ephemeral port of 127.0.0.1. */
export async function listen(deps: Deps): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer(deps);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, close: () => shutdown(server, 1000) };
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL (kill -9) and wait for exit. */
  kill9(): Promise<void>;
}

/** `tsx server/index.ts` as its own process, on an ephemeral port. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${out}`)), 30_000);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Poll until check() is truthy or the time is up. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 2000, everyMs = 10): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
