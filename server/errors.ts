// AppError on the server: the code becomes a tRPC code (and so an HTTP status); `details` (for
// example the current record of a conflict) travel to the client in the error's data.
import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { AppError, type ErrorCode } from '../lib/errors.ts';

export class ServerError extends AppError {
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message);
    this.details = details;
  }
}

const TRPC_CODE_OF: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_INPUT: 'BAD_REQUEST',
  TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  WRONG_PASSWORD: 'UNAUTHORIZED',
  WEAK_KDF_PARAMS: 'BAD_REQUEST',
  LOCKED: 'FORBIDDEN',
  NO_VAULT: 'NOT_FOUND',
  VAULT_EXISTS: 'CONFLICT',
  NOT_FOUND: 'NOT_FOUND',
  CORRUPT_RECORD: 'UNPROCESSABLE_CONTENT',
  DECRYPT_FAILED: 'UNPROCESSABLE_CONTENT',
  KEY_MISMATCH: 'UNPROCESSABLE_CONTENT',
  CONFLICT: 'CONFLICT',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHORIZED',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  NETWORK: 'SERVICE_UNAVAILABLE',
  POLICY_REFUSED: 'FORBIDDEN',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

/** The AppError code a client sees for a tRPC error that did not start as an AppError. */
export function appCodeOf(code: TRPC_ERROR_CODE_KEY): ErrorCode {
  switch (code) {
    case 'BAD_REQUEST':
    case 'PARSE_ERROR':
    case 'METHOD_NOT_SUPPORTED':
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 'BAD_INPUT';
    case 'PAYLOAD_TOO_LARGE':
      return 'TOO_LARGE';
    case 'UNAUTHORIZED':
      return 'UNAUTHENTICATED';
    case 'FORBIDDEN':
      return 'FORBIDDEN';
    case 'NOT_FOUND':
      return 'NOT_FOUND';
    case 'CONFLICT':
      return 'CONFLICT';
    case 'TOO_MANY_REQUESTS':
      return 'RATE_LIMITED';
    default:
      return 'INTERNAL';
  }
}

/** The database went away under a request (restart, failover): the client retries NETWORK. */
export const databaseUnavailable = () =>
  new ServerError('NETWORK', 'The server lost its connection to the database. Try again in a moment.');

export function toTRPCError(e: AppError): TRPCError {
  return new TRPCError({ code: TRPC_CODE_OF[e.code], message: e.message, cause: e });
}
