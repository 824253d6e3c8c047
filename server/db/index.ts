// Opens the database the configuration names: PostgreSQL for a postgres:// DATABASE_URL, otherwise
// an SQLite file in the data folder. Everything above this file talks to Kysely only.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import pg from 'pg';
import { createLocalChangeFeed, createPgChangeFeed, type ChangeFeed } from './change-feed.ts';
import type { Schema } from './schema.ts';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface Database {
  kind: DatabaseKind;
  db: Kysely<Schema>;
  feed: ChangeFeed;
  /** SQLite only: run a read on the read-only connection, synchronously (see prepared.ts). */
  readSync?: (sql: string, parameters: readonly unknown[]) => unknown[];
  /**
   * PostgreSQL only: run a query as a named prepared statement (parsed and planned once per
   * connection, then only bound and executed; see prepared.ts). `name` must name this `sql` only.
   */
  readPrepared?: (name: string, sql: string, parameters: readonly unknown[]) => Promise<unknown[]>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// or postgresql:// selects PostgreSQL; anything else (or nothing) SQLite. */
  databaseUrl?: string;
  /** Folder of the SQLite file `latchkey.sqlite`. */
  dataDir: string;
  /** Connections per process on PostgreSQL. */
  poolSize?: number;
}

export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//i.test(url);
}

export function openDatabase(options: DatabaseOptions): Database {
  return isPostgresUrl(options.databaseUrl)
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10)
    : openSqlite(options.dataDir);
}

// int8 (bigint) columns hold millisecond times and cursors, all far below 2^53.
const INT8_OID = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function openPostgres(connectionString: string, max: number): Database {
  const pool = new pg.Pool({ connectionString, max, types: pgTypes });
  // A client that loses its connection (database restart, failover, pg_terminate_backend) emits
  // 'error', and an 'error' event without a listener ends the process. pg-pool listens only while
  // the client is idle (and re-emits on the pool) and Kysely's driver not at all, so every client
  // gets its own listener for its whole life: the query in flight fails on its own (and becomes
  // NETWORK, see isDatabaseUnavailable), the pool drops the dead client when it comes back, and the
  // next query opens a new connection.
  pool.on('connect', (client) => client.on('error', () => {}));
  pool.on('error', () => {});
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  const feed = createPgChangeFeed(connectionString, { types: pgTypes });
  return {
    kind: 'postgres',
    db,
    feed,
    readPrepared: (name, sql, parameters) => pool.query({ name, text: sql, values: parameters as unknown[] }).then((r) => r.rows),
    async close() {
      await feed.close();
      await db.destroy();
    },
  };
}

function openSqlite(dataDir: string): Database {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'latchkey.sqlite');
  ownerOnly(file);
  const sqlite = new BetterSqlite3(file);
  // WAL lets readers run beside the writer. synchronous=FULL fsyncs the WAL at every commit, so an
  // acknowledged write survives kill -9 and also power loss; writes are rare next to reads here.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // A second, read-only connection for the hot reads: it sees committed data only, and answers
  // without queueing behind Kysely's single connection while a write transaction is open.
  const reader = new BetterSqlite3(file, { readonly: true });
  reader.pragma('busy_timeout = 5000');
  const readStatements = withStatementCache(reader);
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  const feed = createLocalChangeFeed();
  return {
    kind: 'sqlite',
    db,
    feed,
    readSync: (query, parameters) => (readStatements.prepare(query) as unknown as BetterSqlite3.Statement).all(...parameters),
    async close() {
      await feed.close();
      await db.destroy();
      readStatements.close();
    },
  };
}

/**
 * The database file readable by its owner only, whatever the umask and the folder's mode, before
 * SQLite writes anything into it. SQLite creates the -wal and -shm files with the database file's
 * mode; ones left by an older version are narrowed too.
 */
function ownerOnly(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(f)) chmodSync(f, 0o600);
  }
}

/**
 * Kysely prepares every query afresh; the server runs a small set of query shapes, so keep their
 * prepared statements. The cache is bounded because `in (…)` lists vary in length.
 */
function withStatementCache(sqlite: BetterSqlite3.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare(query: string): SqliteStatement {
      let stmt = cache.get(query);
      if (!stmt) {
        if (cache.size >= max) cache.clear();
        stmt = sqlite.prepare(query) as unknown as SqliteStatement;
        cache.set(query, stmt);
      }
      return stmt;
    },
  };
}

/** A unique or primary-key constraint failed (both dialects). */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

// Connection exception (08…), operator intervention (57P01 admin shutdown, 57P02 crash shutdown,
// 57P03 cannot connect now), too many connections (53300).
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
const UNAVAILABLE_NODE_CODE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// What node-postgres says when a connection ends under a query; it gives no code for these.
const UNAVAILABLE_MESSAGE = /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect)/;

/** The database could not be reached or dropped the connection: worth retrying in a moment. */
export function isDatabaseUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_NODE_CODE.has(code))) return true;
  if (UNAVAILABLE_MESSAGE.test(e.message)) return true;
  // A pool that could not connect wraps the reason (AggregateError for several addresses).
  if (e instanceof AggregateError) return e.errors.some(isDatabaseUnavailable);
  return e.cause !== undefined && e.cause !== e && isDatabaseUnavailable(e.cause);
}
