// Live updates: a subscription over server-sent events that says "your vault moved to cursor N".
// Event ids are cursors, so a reconnect (lastEventId) resumes exactly where the client was.
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { toTRPCError } from '../errors.ts';
import * as s from '../schemas.ts';
import { authenticate } from '../sessions.ts';
import { authedProcedure, router } from '../trpc.ts';
import { currentCursor } from '../vault-store.ts';

/** Resolves wait() once after each set(), or when the signal aborts. */
class Wakeup {
  private pending = false;
  private resolve: (() => void) | null = null;

  set(): void {
    this.pending = true;
    this.resolve?.();
  }

  wait(signal: AbortSignal | undefined): Promise<void> {
    if (this.pending || signal?.aborted) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        this.resolve = null;
        this.pending = false;
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.resolve = done;
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

const lastEventCursor = (id: string | null | undefined) => (id && /^\d{1,15}$/.test(id) ? Number(id) : null);

export const eventsRouter = router({
  /** Yields { cursor } each time the vault moves past the last cursor sent (at once if it already has). */
  onChange: authedProcedure
    .input(z.object({ cursor: s.cursor, lastEventId: z.string().max(32).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const { database } = ctx.deps;
      const userId = ctx.session.userId;
      let last = lastEventCursor(input.lastEventId) ?? input.cursor;
      const wakeup = new Wakeup();
      // Subscribe before the first read, so a write between the two is not missed.
      const unsubscribe = database.feed.subscribe(userId, (seq) => {
        if (seq === null || seq > last) wakeup.set();
      });
      try {
        while (!signal?.aborted) {
          const head = await currentCursor(database, userId);
          if (head > last) {
            // The session may have ended (logout elsewhere) while the stream was open. Errors
            // thrown here bypass the procedure's middleware, so convert them on the spot.
            await authenticate(ctx.deps, ctx.token).catch((e: unknown) => {
              throw e instanceof AppError ? toTRPCError(e) : e;
            });
            last = head;
            yield tracked(String(head), { cursor: head });
          }
          await wakeup.wait(signal);
        }
      } finally {
        unsubscribe();
      }
    }),
});
