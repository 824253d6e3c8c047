// Live updates: a subscription over server-sent events that says "your vault moved to cursor N",
// N being the user's watermark (users.change_seq, raised by every write to a container they can
// read). Event ids are cursors, so a reconnect (lastEventId) resumes exactly where the client was.
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import type { Context } from '../context.ts';
import { isDatabaseUnavailable } from '../db/index.ts';
import { toTRPCError } from '../errors.ts';
import * as s from '../schemas.ts';
import { authenticate } from '../sessions.ts';
import { authedProcedure, router } from '../trpc.ts';

/** Resolves wait() once after each set(), when the signal aborts, or after timeoutMs. */
class Wakeup {
  private pending = false;
  private resolve: (() => void) | null = null;

  set(): void {
    this.pending = true;
    this.resolve?.();
  }

  wait(signal: AbortSignal | undefined, timeoutMs: number): Promise<void> {
    if (this.pending || signal?.aborted) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        this.resolve = null;
        this.pending = false;
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.resolve = done;
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

/** An event id is `<cursor>`, `<cursor>.<linkSeq>` or `<cursor>.<linkSeq>.<peopleSeq>`. */
function lastEvent(id: string | null | undefined): { cursor: number; linkSeq: number | null; peopleSeq: number | null } | null {
  const match = id ? /^(\d{1,15})(?:\.(\d{1,15})(?:\.(\d{1,15}))?)?$/.exec(id) : null;
  if (!match) return null;
  const n = (v: string | undefined) => (v === undefined ? null : Number(v));
  return { cursor: Number(match[1]), linkSeq: n(match[2]), peopleSeq: n(match[3]) };
}

/** The vault's cursor, the link counter and the people counter of a user, in one read. */
async function heads(ctx: Context, userId: string): Promise<{ cursor: number; linkSeq: number; peopleSeq: number }> {
  const row = await ctx.deps.database.db.selectFrom('users').select(['change_seq', 'link_seq', 'people_seq']).where('id', '=', userId).executeTakeFirst();
  return { cursor: row?.change_seq ?? 0, linkSeq: row?.link_seq ?? 0, peopleSeq: row?.people_seq ?? 0 };
}

/** While the database is unreachable, a stream stays open and looks again this often. */
const UNAVAILABLE_RETRY_MS = 1000;
/** setTimeout's longest wait; a session's expiry further off is looked at again then. */
const MAX_WAIT_MS = 2 ** 31 - 1;

/** authenticate, with its AppError turned into the TRPCError it would have been in a middleware. */
async function sessionStillValid(ctx: Context): Promise<void> {
  await authenticate(ctx.deps, ctx.token).catch((e: unknown) => {
    throw e instanceof AppError ? toTRPCError(e) : e;
  });
}

export const eventsRouter = router({
  /**
   * Yields { cursor, linkSeq } each time the vault moves past the last cursor sent, or the user's
   * link shares move (a reveal, a wrong attempt, an end: users.link_seq), at once if either already
   * has. A client that sends no linkSeq gets the current one with the first vault change.
   * Likewise peopleSeq (users.people_seq: connections, invitations, messages, issue 13); a client
   * that sends it gets event ids `<cursor>.<linkSeq>.<peopleSeq>`.
   */
  onChange: authedProcedure
    .input(z.object({ cursor: s.cursor, linkSeq: s.cursor.optional(), peopleSeq: s.cursor.optional(), lastEventId: z.string().max(48).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const { database } = ctx.deps;
      const userId = ctx.session.userId;
      const resumed = lastEvent(input.lastEventId);
      let last = resumed?.cursor ?? input.cursor;
      let lastLinkSeq = resumed?.linkSeq ?? input.linkSeq ?? null;
      let lastPeopleSeq = resumed?.peopleSeq ?? input.peopleSeq ?? null;
      // Event ids carry the counters only for clients that track them (older ones resume by cursor).
      const withPeopleSeq = lastPeopleSeq !== null;
      const withLinkSeq = lastLinkSeq !== null || withPeopleSeq;
      const wakeup = new Wakeup();
      // A null from the feed means "look again": sessions of this user ended (logout, sign out
      // everywhere, password change, from any process), links moved, or the feed reconnected.
      // Errors thrown here bypass the procedure's middleware, so sessionStillValid converts them.
      // The first look is a recheck too: the session was checked before the stream subscribed,
      // and the notice of a sign-out in between went to nobody.
      let recheck = true;
      // Subscribe before the first read, so a write between the two is not missed.
      const unsubscribe = database.feed.subscribe(userId, (seq) => {
        if (seq === null) recheck = true;
        if (seq === null || seq > last) wakeup.set();
      });
      // A notice can still be lost (its connection dropped after the sessions were deleted): the
      // session is checked again at least every streamSessionRecheckMs, moving or not.
      const recheckEveryMs = ctx.deps.config.streamSessionRecheckMs;
      let checkedAt = 0;
      /** Until the next look at the session: its expiry, or the re-check interval, whichever is first. */
      const untilNextCheck = () => {
        const now = ctx.deps.now();
        return Math.min(MAX_WAIT_MS, Math.max(0, Math.min(ctx.session.expiresAt, checkedAt + recheckEveryMs) - now) + 1);
      };
      const checkSession = async () => {
        await sessionStillValid(ctx);
        checkedAt = ctx.deps.now();
      };
      try {
        while (!signal?.aborted) {
          let waitMs: number;
          try {
            if (recheck || untilNextCheck() <= 1) {
              recheck = false;
              await checkSession();
            }
            const head = await heads(ctx, userId);
            const linksMoved = lastLinkSeq !== null && head.linkSeq !== lastLinkSeq;
            const peopleMoved = lastPeopleSeq !== null && head.peopleSeq !== lastPeopleSeq;
            if (head.cursor > last || linksMoved || peopleMoved) {
              // Nothing goes to a stream whose session was not checked after the head was read.
              await checkSession();
              last = Math.max(last, head.cursor);
              lastLinkSeq = head.linkSeq;
              lastPeopleSeq = head.peopleSeq;
              const id = withPeopleSeq ? `${last}.${head.linkSeq}.${head.peopleSeq}` : withLinkSeq ? `${last}.${head.linkSeq}` : String(last);
              yield tracked(id, { cursor: last, linkSeq: head.linkSeq, peopleSeq: head.peopleSeq });
            } else {
              // A counter the client did not send starts from its current value.
              lastLinkSeq ??= head.linkSeq;
              lastPeopleSeq ??= head.peopleSeq;
            }
            waitMs = untilNextCheck();
          } catch (e) {
            // The database restarted or failed over: keep the stream and look again shortly.
            if (!isDatabaseUnavailable(e)) throw e;
            recheck = true;
            waitMs = UNAVAILABLE_RETRY_MS;
          }
          await wakeup.wait(signal, waitMs);
        }
      } finally {
        unsubscribe();
      }
    }),
});
