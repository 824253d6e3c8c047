// The few queries on the hot path (session lookup, "changes since cursor", the cursor itself) are
// built and compiled by Kysely once per database, then only executed with new parameters. On
// SQLite they run synchronously on a read-only connection of their own (committed data only, never
// waiting behind a write transaction); on PostgreSQL as named prepared statements through the pool,
// so each connection parses and plans them once.
import { createHash } from 'node:crypto';
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './index.ts';
import type { Schema } from './schema.ts';

export type MaybePromise<T> = T | Promise<T>;

/** A prepared statement's name on PostgreSQL: from its text, so one name never means two queries. */
function statementName(sql: string): string {
  return `lk_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
}

/** f of the value, at once when it is already there (SQLite), after it resolves otherwise. */
export function whenReady<T, U>(value: MaybePromise<T>, f: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(f) : f(value);
}

export function preparedQuery<Args extends readonly unknown[], Row>(
  build: (db: Kysely<Schema>, ...args: Args) => Compilable<Row>,
  /** Distinct sample values, one per parameter: proves each argument lands in its own placeholder. */
  sample: Args,
): (database: Database, ...args: Args) => MaybePromise<Row[]> {
  const compiled = new WeakMap<Kysely<Schema>, { query: CompiledQuery<Row>; name: string }>();
  return (database, ...args) => {
    const { db } = database;
    let entry = compiled.get(db);
    if (!entry) {
      const query = build(db, ...sample).compile();
      if (query.parameters.length !== sample.length || query.parameters.some((p, i) => p !== sample[i])) {
        throw new Error(`preparedQuery: parameters ${JSON.stringify(query.parameters)} do not follow the arguments ${JSON.stringify(sample)}`);
      }
      compiled.set(db, (entry = { query, name: statementName(query.sql) }));
    }
    const { query, name } = entry;
    if (database.readSync) return database.readSync(query.sql, args) as Row[];
    if (database.readPrepared) return database.readPrepared(name, query.sql, args) as Promise<Row[]>;
    return db.executeQuery<Row>({ ...query, parameters: args }).then((r) => r.rows);
  };
}
