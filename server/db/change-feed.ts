// Tells live subscribers that a user's vault moved past a cursor. On SQLite (one process) an
// in-process emitter is enough; on PostgreSQL the write transaction itself sends NOTIFY, which
// PostgreSQL delivers to every server process only if the transaction commits.
import pg from 'pg';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from './schema.ts';

/** `seq` is the new cursor, or null when the feed cannot tell (after a reconnect): re-read it. */
export type ChangeListener = (seq: number | null) => void;

export interface ChangeFeed {
  subscribe(userId: string, listener: ChangeListener): () => void;
  /** Inside the write transaction. */
  publishInTransaction(trx: Transaction<Schema>, userId: string, seq: number): Promise<void>;
  /** After the write transaction committed. */
  committed(userId: string, seq: number): void;
  /**
   * Sessions of this user end in this transaction: every open stream of the user, in every
   * process, checks its session again once it commits, so a signed-out device stops hearing at
   * once. On PostgreSQL the notice is part of the transaction: it goes out if and only if the
   * deletion commits. Use endingSessions (server/sessions.ts), which also calls the one below.
   */
  sessionsEndedInTransaction(trx: Transaction<Schema>, userId: string): Promise<void>;
  /** After that transaction committed (the in-process feed tells its streams now). */
  sessionsEndedCommitted(userId: string): void;
  /** The user's link shares moved (after the change committed): streams re-read users.link_seq. */
  linksChanged(db: Kysely<Schema>, userId: string): Promise<void>;
  /** The user's connections, invitations or messages moved (after commit): streams re-read users.people_seq. */
  peopleChanged(db: Kysely<Schema>, userId: string): Promise<void>;
  close(): Promise<void>;
}

class Listeners {
  private readonly byUser = new Map<string, Set<ChangeListener>>();

  add(userId: string, listener: ChangeListener): () => void {
    let set = this.byUser.get(userId);
    if (!set) this.byUser.set(userId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.byUser.get(userId) === set) this.byUser.delete(userId);
    };
  }

  emit(userId: string, seq: number | null): void {
    for (const listener of this.byUser.get(userId) ?? []) listener(seq);
  }

  emitAll(): void {
    for (const userId of this.byUser.keys()) this.emit(userId, null);
  }
}

export function createLocalChangeFeed(): ChangeFeed {
  const listeners = new Listeners();
  return {
    subscribe: (userId, listener) => listeners.add(userId, listener),
    publishInTransaction: async () => {},
    committed: (userId, seq) => listeners.emit(userId, seq),
    sessionsEndedInTransaction: async () => {},
    sessionsEndedCommitted: (userId) => listeners.emit(userId, null),
    linksChanged: async (_db, userId) => listeners.emit(userId, null),
    peopleChanged: async (_db, userId) => listeners.emit(userId, null),
    close: async () => {},
  };
}

export const PG_CHANNEL = 'latchkey_vault_changes';

/**
 * One dedicated LISTEN connection per process, opened on the first subscription and reopened with
 * backoff if it drops; after a reconnect every subscriber re-reads its cursor, so nothing is missed.
 */
export function createPgChangeFeed(connectionString: string, poolConfig: pg.ClientConfig): ChangeFeed {
  const listeners = new Listeners();
  let client: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let closed = false;
  let retryMs = 250;
  let retryTimer: NodeJS.Timeout | null = null;

  const onNotification = (msg: pg.Notification) => {
    if (msg.channel !== PG_CHANNEL || !msg.payload) return;
    const at = msg.payload.lastIndexOf(':');
    const seq = Number(msg.payload.slice(at + 1));
    listeners.emit(msg.payload.slice(0, at), Number.isSafeInteger(seq) ? seq : null);
  };

  const scheduleReconnect = () => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, retryMs);
    retryTimer.unref();
    retryMs = Math.min(retryMs * 2, 5000);
  };

  const connect = (): Promise<void> => {
    if (connecting) return connecting;
    connecting = (async () => {
      const c = new pg.Client({ ...poolConfig, connectionString });
      c.on('notification', onNotification);
      c.on('error', () => {
        // The 'end' handler below reconnects; the error itself carries nothing we need.
      });
      c.on('end', () => {
        if (client === c) client = null;
        if (!closed) scheduleReconnect();
      });
      try {
        await c.connect();
        await c.query(`LISTEN ${PG_CHANNEL}`);
        client = c;
        retryMs = 250;
        // Anything committed while we were not listening: let every subscriber re-read.
        listeners.emitAll();
      } catch {
        await c.end().catch(() => {});
        scheduleReconnect();
      }
    })().finally(() => {
      connecting = null;
    });
    return connecting;
  };

  return {
    subscribe(userId, listener) {
      if (!client && !closed) void connect();
      return listeners.add(userId, listener);
    },
    async publishInTransaction(trx, userId, seq) {
      await sql`select pg_notify(${PG_CHANNEL}, ${`${userId}:${seq}`})`.execute(trx);
    },
    committed() {},
    async sessionsEndedInTransaction(trx, userId) {
      // Not a number after the colon: listeners get null, "look again".
      await sql`select pg_notify(${PG_CHANNEL}, ${`${userId}:sessions-ended`})`.execute(trx);
    },
    sessionsEndedCommitted() {},
    async linksChanged(db, userId) {
      await sql`select pg_notify(${PG_CHANNEL}, ${`${userId}:links`})`.execute(db);
    },
    async peopleChanged(db, userId) {
      await sql`select pg_notify(${PG_CHANNEL}, ${`${userId}:people`})`.execute(db);
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      await connecting?.catch(() => {});
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
