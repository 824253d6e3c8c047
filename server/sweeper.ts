// Removes expired sessions and rate-limit rows on a schedule. Every process runs one; the deletes
// are idempotent, and on PostgreSQL they skip rows another transaction holds, so processes never
// wait for (or deadlock with) each other or a sign-in in progress.
import type { Deps } from './deps.ts';
import { sweepLinks } from './links/store.ts';
import { sweepInvitations } from './people/invitations.ts';
import { sweepExpiredMemberships } from './shares/end.ts';

export async function sweepExpired(deps: Deps): Promise<void> {
  // Expired links lose their copy at once (by the server's clock); ended ones go after 30 days.
  await sweepLinks(deps);
  // Invitations wait 30 days (also for an address to get an account), then go.
  await sweepInvitations(deps);
  // Memberships past their end date: removed, and their shares wait for a key rotation.
  await sweepExpiredMemberships(deps);
  const { db, kind } = deps.database;
  const now = deps.now();
  if (kind === 'postgres') {
    await db
      .deleteFrom('sessions')
      .where('token_hash', 'in', (eb) => eb.selectFrom('sessions').select('token_hash').where('expires_at', '<=', now).forUpdate().skipLocked())
      .execute();
    await db
      .deleteFrom('rate_limits')
      .where('key', 'in', (eb) => eb.selectFrom('rate_limits').select('key').where('expires_at', '<=', now).forUpdate().skipLocked())
      .execute();
    return;
  }
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('sessions').where('expires_at', '<=', now).execute();
    await trx.deleteFrom('rate_limits').where('expires_at', '<=', now).execute();
  });
}

export interface Sweeper {
  /** Stops the schedule and waits for a sweep in progress. */
  stop(): Promise<void>;
}

/** Sweep every `everyMs` (and never keep the process alive for it). A failed sweep waits for the next. */
export function startSweeper(deps: Deps, everyMs = 60_000): Sweeper {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = sweepExpired(deps)
      .catch((e: unknown) => {
        console.error(`[latchkey] sweeping expired rows failed: ${e instanceof Error ? e.message : String(e)}`);
      })
      .finally(() => {
        running = null;
      });
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
