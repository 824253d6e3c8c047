// The typed client of the companion server. Types come from the server (`import type` only, so no
// server code reaches the extension bundle); everything else is @trpc/client and fetch.
import { createTRPCClient, httpBatchLink, httpLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../server/routers/_app';
import type { LatchkeyErrorData } from '../../server/trpc';
import { AppError, ERROR_CODES, type ErrorCode } from '../errors';
import { FetchEventSource } from './event-source';
import { t } from '../i18n';

export type { AppRouter };
export type ApiInputs = inferRouterInputs<AppRouter>;
export type ApiOutputs = inferRouterOutputs<AppRouter>;
export type VaultRecord = ApiOutputs['vault']['containerChanges']['records'][number];

/** The current session's token, or nothing when signed out. */
export type TokenGetter = () => string | null | undefined | Promise<string | null | undefined>;

export interface ApiClientOptions {
  fetch?: typeof fetch;
  /** Wait before a dropped live-update stream reconnects (default 1 s). */
  reconnectMs?: number;
}

/**
 * Queries that must not wait in a batch: an entry opened during a first download should not queue
 * behind a page of a thousand records, nor the vault's snapshot behind anything.
 */
const UNBATCHED_QUERIES = new Set(['vault.records', 'vault.snapshot']);

/**
 * `baseUrl` is the server's address, e.g. http://127.0.0.1:8787. Queries are batched; mutations go
 * one per request (a batch of large writes could exceed the server's 1 MiB body limit); live
 * updates use server-sent events with the token in the Authorization header.
 */
export function createApiClient(baseUrl: string, getToken: TokenGetter, options: ApiClientOptions = {}) {
  const url = `${baseUrl.replace(/\/+$/, '')}/trpc`;
  const headers = async (): Promise<Record<string, string>> => {
    const token = await getToken();
    return token ? { authorization: `Bearer ${token}` } : {};
  };
  const fetchImpl = options.fetch;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          EventSource: FetchEventSource,
          eventSourceOptions: () => ({ headers, fetch: fetchImpl, retryMs: options.reconnectMs }),
        }),
        false: splitLink({
          condition: (op) => op.type === 'mutation' || UNBATCHED_QUERIES.has(op.path),
          true: httpLink({ url, headers, fetch: fetchImpl }),
          false: httpBatchLink({ url, headers, fetch: fetchImpl, maxURLLength: 8000 }),
        }),
      }),
    ],
  });
}

export type ApiClient = ReturnType<typeof createApiClient>;

function errorData(e: unknown): LatchkeyErrorData | undefined {
  return e instanceof TRPCClientError ? (e.data as LatchkeyErrorData | undefined) : undefined;
}

/** What went wrong with an API call, as an AppError (NETWORK when the server could not be reached). */
export function apiError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  const data = errorData(e);
  const code = data?.appCode;
  if (code && (ERROR_CODES as readonly string[]).includes(code)) return new AppError(code as ErrorCode, (e as Error).message, { cause: e });
  if (e instanceof TRPCClientError && !data) {
    return new AppError('NETWORK', t('errorServerUnreachable'), { cause: e });
  }
  return new AppError('INTERNAL', t('errorServerIncompatible'), { cause: e });
}

/** Extra facts of an API error: the current record of a CONFLICT, retryAfterSeconds of RATE_LIMITED. */
export function apiErrorDetails(e: unknown): Record<string, unknown> | undefined {
  return errorData(e)?.details;
}

/** For a CONFLICT from vault.put: the record as the server has it (null if it has none). */
export function conflictCurrent(e: unknown): VaultRecord | null | undefined {
  const details = apiErrorDetails(e);
  return details && 'current' in details ? (details.current as VaultRecord | null) : undefined;
}
