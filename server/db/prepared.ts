// The few queries on the hot path (session lookup, "changes since cursor", the cursor itself) are
// built and compiled by Kysely once per database, then only executed with new parameters. On
// SQLite they run synchronously on a read-only connection of their own (committed data only, never
// waiting behind a write transaction); on PostgreSQL through the pool as usual.
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './index.ts';
import type { Schema } from './schema.ts';

export type MaybePromise<T> = T | Promise<T>;

/** f of the value, at once when it is already there (SQLite), after it resolves otherwise. */
export function whenReady<T, U>(value: MaybePromise<T>, f: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(f) : f(value);
}

export function preparedQuery<Args extends readonly unknown[], Row>(
  build: (db: Kysely<Schema>, ...args: Args) => Compilable<Row>,
  /** Distinct sample values, one per parameter: proves each argument lands in its own placeholder. */
  sample: Args,
): (database: Database, ...args: Args) => MaybePromise<Row[]> {
  const compiled = new WeakMap<Kysely<Schema>, CompiledQuery<Row>>();
  return (database, ...args) => {
    const { db } = database;
    let query = compiled.get(db);
    if (!query) {
      query = build(db, ...sample).compile();
      if (query.parameters.length !== sample.length || query.parameters.some((p, i) => p !== sample[i])) {
        throw new Error(`preparedQuery: parameters ${JSON.stringify(query.parameters)} do not follow the arguments ${JSON.stringify(sample)}`);
      }
      compiled.set(db, query);
    }
    if (database.readSync) return database.readSync(query.sql, args) as Row[];
    return db.executeQuery<Row>({ ...query, parameters: args }).then((r) => r.rows);
  };
}
