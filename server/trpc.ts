// The one tRPC instance: router, publicProcedure, authedProcedure. Handlers throw AppError; the
// middleware below turns it into a TRPCError with the matching status, and the formatter puts the
// AppError code (and its details, e.g. a conflict's current record) into the error's data.
import { initTRPC } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { z } from 'zod';
import { AppError, type ErrorCode } from '../lib/errors.ts';
import type { Context } from './context.ts';
import { isDatabaseUnavailable } from './db/index.ts';
import { appCodeOf, databaseUnavailable, ServerError, toTRPCError } from './errors.ts';
import type { MaybePromise } from './db/prepared.ts';
import { authenticate, peekSession, type SignedIn } from './sessions.ts';

export interface LatchkeyErrorData {
  code: string;
  httpStatus: number;
  path?: string;
  /** The AppError code: what the client should branch on. */
  appCode: ErrorCode;
  /** Present for CONFLICT, RATE_LIMITED and bad input, see the procedures. */
  details?: Record<string, unknown>;
}

const INTERNAL_MESSAGE = 'Something went wrong on the server. Try again in a moment.';

const t = initTRPC.context<Context>().create({
  isDev: false,
  sse: {
    ping: { enabled: true, intervalMs: 15_000 },
    client: { reconnectAfterInactivityMs: 40_000 },
  },
  errorFormatter({ shape, error }) {
    const cause = isDatabaseUnavailable(error.cause) ? databaseUnavailable() : error.cause;
    // An AppError thrown inside a subscription's stream reaches here still wrapped as INTERNAL.
    const effective = cause instanceof AppError ? toTRPCError(cause) : error;
    let appCode: ErrorCode = appCodeOf(effective.code);
    let message = shape.message;
    let details: Record<string, unknown> | undefined;
    if (cause instanceof AppError) {
      appCode = cause.code;
      message = cause.message;
      if (cause instanceof ServerError) details = cause.details;
    } else if (cause instanceof z.ZodError) {
      message = `Invalid input. ${z.prettifyError(cause).replace(/\n+/g, ' ')}`;
      details = { issues: cause.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) };
    } else if (error.code === 'INTERNAL_SERVER_ERROR') {
      // Never pass on what an unexpected error says: it could name a table, a value or a secret.
      message = INTERNAL_MESSAGE;
    }
    const data: LatchkeyErrorData = {
      code: effective.code,
      httpStatus: getHTTPStatusCodeFromError(effective),
      path: shape.data.path,
      appCode,
      details,
    };
    return { code: TRPC_ERROR_CODES_BY_KEY[effective.code], message, data };
  },
});

/**
 * An AppError thrown by a resolver becomes a TRPCError with the matching code (and HTTP status); a
 * connection to the database lost under it becomes NETWORK (503), which clients retry.
 */
function mapAppError(result: { ok: boolean; error?: { code: string; cause?: unknown } }): void {
  if (result.ok || result.error?.code !== 'INTERNAL_SERVER_ERROR') return;
  const cause = result.error.cause;
  if (cause instanceof AppError) throw toTRPCError(cause);
  if (isDatabaseUnavailable(cause)) throw toTRPCError(databaseUnavailable());
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(async ({ next }) => {
  const result = await next();
  mapAppError(result);
  return result;
});

/**
 * The check every signed-in call passes, defined once and run on both roads: `check` is what
 * authedProcedure's middleware runs (it may write: last_seen_at, an expired session's deletion;
 * UNAUTHORIZED otherwise), `peek` is what the direct routes of hot queries run (server/
 * direct-query.ts): the same read without the writes, null whenever `check` has something to say
 * or to write, and the request then goes through tRPC and `check`. A check every signed-in call
 * needs belongs here, in both forms, never in a middleware of its own on authedProcedure (a test
 * in tests/server/fast-query.test.ts holds authedProcedure to this one middleware).
 */
export const signedIn = {
  async check(ctx: Context): Promise<SignedIn> {
    try {
      return await authenticate(ctx.deps, ctx.token);
    } catch (e) {
      if (e instanceof AppError) throw toTRPCError(e);
      throw isDatabaseUnavailable(e) ? toTRPCError(databaseUnavailable()) : e;
    }
  },
  peek(ctx: Context): MaybePromise<SignedIn | null> {
    return peekSession(ctx.deps, ctx.token);
  },
};

/** What a signed-in procedure's resolver gets: the request's context, its session and the head. */
export type SignedInContext = Context & SignedIn;

/**
 * A procedure for a signed-in user; ctx.session says who. The only place tokens are checked. One
 * middleware (not public's plus another): this runs on every sync request, and each tRPC
 * middleware level costs about as much as the session lookup itself.
 */
export const signedInMiddleware = t.middleware(async ({ ctx, next }) => {
  const signed = await signedIn.check(ctx);
  const result = await next({ ctx: { ...ctx, ...signed } satisfies SignedInContext });
  mapAppError(result);
  return result;
});

export const authedProcedure = t.procedure.use(signedInMiddleware);
