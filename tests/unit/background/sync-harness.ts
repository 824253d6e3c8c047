// A real companion server over HTTP on loopback, on its embedded SQLite database, started afresh
// for every test, and the devices (backgrounds with their own IndexedDB) that sync through it.
import { afterEach, beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, shutdown } from '../../../server/app';
import { DEFAULT_CONFIG, type ServerConfig as Config } from '../../../server/config';
import { openDatabase, type Database } from '../../../server/db';
import { migrateToLatest } from '../../../server/db/migrations';
import { loadDeps } from '../../../server/deps';
import { emptyEntryFields, type EntryFields } from '../../../lib/model/entry';
import { startTestBackground } from './harness';

export const PASSWORD = 'correct horse battery';
export const fields = (over: Partial<EntryFields> = {}): EntryFields => ({ ...emptyEntryFields(), title: 'Mail', username: 'ann', password: 'pw-1', urls: ['https://mail.example'], ...over });

let dataDir: string;
let database: Database;
let server: http.Server;
let serverUrl: string;
let port = 0;
let config: Config = DEFAULT_CONFIG;

async function startServer(): Promise<void> {
  database = openDatabase({ dataDir });
  await migrateToLatest(database.db);
  server = createServer(await loadDeps(database, { ...config }));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  serverUrl = `http://127.0.0.1:${port}`;
}

async function stopServer(): Promise<void> {
  await shutdown(server, 200);
  await database.close();
}

/** Registers the server's lifecycle with the calling test file; getters read the current test's. */
export function syncServer(overrides: Partial<Config> = {}) {
  beforeEach(async () => {
    config = { ...DEFAULT_CONFIG, ...overrides };
    fakeBrowser.reset();
    dataDir = await mkdtemp(join(tmpdir(), 'latchkey-sync-'));
    port = 0;
    await startServer();
  });
  afterEach(async () => {
    await stopServer().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  });
  return {
    get database() {
      return database;
    },
    get serverUrl() {
      return serverUrl;
    },
    startServer,
    stopServer,
  };
}

export async function deviceA() {
  const a = startTestBackground();
  await a.must('session.create', { password: PASSWORD });
  return a;
}

export async function bothDevices() {
  const a = await deviceA();
  const mail = await a.must('vault.save', { fields: fields() });
  await a.must('account.register', { serverUrl, username: 'ann', email: 'ann@example.com', password: PASSWORD });
  const b = startTestBackground();
  await b.must('account.signIn', { serverUrl, username: 'ann', password: PASSWORD });
  return { a, b, mail };
}

export async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 2000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() - start > ms) throw new Error(`condition not met within ${ms} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
