// What a refused call carried: the AppError the client branches on (its code, details and message).
import { AppError } from '../../lib/errors.ts';

export interface Refusal {
  code: string;
  details?: Record<string, unknown>;
  message: string;
}

/** Awaits a call that must fail with an AppError and returns it; anything else fails the test. */
export async function refusal(p: Promise<unknown>): Promise<Refusal> {
  try {
    await p;
  } catch (e) {
    const cause = (e as { cause?: unknown }).cause;
    if (cause instanceof AppError) return { code: cause.code, details: (cause as { details?: Record<string, unknown> }).details, message: cause.message };
    throw e;
  }
  throw new Error('expected a failure');
}
