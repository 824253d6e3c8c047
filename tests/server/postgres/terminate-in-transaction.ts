// Run as its own process by connection-loss.test.ts: open the server's database, start a
// transaction, have another connection terminate its backend, then report what happened. Without a
// listener for the dropped client's 'error' event this process dies before it can print.
import { sql } from 'kysely';
import pg from 'pg';
import { isDatabaseUnavailable, openDatabase } from '../../../server/db/index.ts';

const databaseUrl = process.env.DATABASE_URL!;
const database = openDatabase({ databaseUrl, dataDir: '' });
const outcome = await database.db
  .transaction()
  .execute(async (trx) => {
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
    await admin.end();
    // Let the dropped connection's events arrive while the transaction is idle.
    await new Promise((r) => setTimeout(r, 300));
    await sql`select 1`.execute(trx);
    return 'committed';
  })
  .catch((e: unknown) => e);
const after = await sql<{ one: number }>`select 1 as one`.execute(database.db);
await database.close();
console.log(JSON.stringify({ unavailable: isDatabaseUnavailable(outcome), nextQuery: after.rows[0]!.one }));
