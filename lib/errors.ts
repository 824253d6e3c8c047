// The one error type of Latchkey. Every failure carries a code from a closed union; the message
// tells the person what to do. It becomes the message envelope in the extension and a TRPCError
// on the server.

export const ERROR_CODES = [
  'BAD_INPUT',
  'TOO_LARGE',
  'WRONG_PASSWORD',
  'WEAK_KDF_PARAMS',
  'LOCKED',
  'NO_VAULT',
  'VAULT_EXISTS',
  'NOT_FOUND',
  'CORRUPT_RECORD',
  'DECRYPT_FAILED',
  'KEY_MISMATCH',
  'CONFLICT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'RATE_LIMITED',
  'NETWORK',
  'POLICY_REFUSED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Id of the entry (or other record) the error is about, when there is one. */
  readonly subject?: string;

  constructor(code: ErrorCode, message: string, options?: { subject?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.subject = options?.subject;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** Turn anything thrown into an AppError without leaking its details (they may hold secrets). */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  return new AppError('INTERNAL', 'Something went wrong inside Latchkey. Try again; if it keeps happening, reload the extension.', { cause: e });
}
