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
import { authenticate } from './sessions.ts';

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

/** The signed-in session of a request, or UNAUTHORIZED: everything authedProcedure checks. */
export async function requireSession(ctx: Context) {
  try {
    return await authenticate(ctx.deps, ctx.token);
  } catch (e) {
    if (e instanceof AppError) throw toTRPCError(e);
    throw isDatabaseUnavailable(e) ? toTRPCError(databaseUnavailable()) : e;
  }
}

/**
 * A procedure for a signed-in user; ctx.session says who. The only place tokens are checked. One
 * middleware (not public's plus another): this runs on every sync request, and each tRPC
 * middleware level costs about as much as the session lookup itself. The direct route of
 * vault.changes (routers/vault.ts, for server/fast-query.ts) checks the session with peekSession,
 * authenticate minus its writes: a middleware added here must be added there (a test counts them).
 */
export const authedProcedure = t.procedure.use(async ({ ctx, next }) => {
  const session = await requireSession(ctx);
  const result = await next({ ctx: { ...ctx, session } });
  mapAppError(result);
  return result;
});
