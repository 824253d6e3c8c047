// The three public link procedures over plain fetch (POST, JSON): no tRPC client in the page, to
// keep it small. Errors come back as { code, details, retryAfterSeconds } from the server's data.
import type { LinkKdf, LinkProtectionKind } from '../../../lib/sharing/link-format.ts';

export interface Metadata {
  meta: string;
  protection: LinkProtectionKind;
  kdf: LinkKdf | null;
  expiresAt: number;
  attemptsLeft: number | null;
  restricted: boolean;
  sender: string;
}

export class ApiError extends Error {
  constructor(
    readonly appCode: string,
    readonly details: Record<string, unknown>,
  ) {
    super(appCode);
  }
}

async function call<T>(procedure: string, input: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/trpc/links.${procedure}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input),
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError('NETWORK', {});
  }
  const body = (await response.json().catch(() => null)) as { result?: { data: T }; error?: { data?: { appCode?: string; details?: Record<string, unknown> } } } | null;
  if (response.ok && body?.result) return body.result.data;
  throw new ApiError(body?.error?.data?.appCode ?? 'NETWORK', body?.error?.data?.details ?? {});
}

export const metadata = (input: { id: string; lookupTag: string }) => call<Metadata>('metadata', input);
export const requestCode = (input: { id: string; lookupTag: string; email: string }) => call<Record<string, never>>('requestCode', input);
export const reveal = (input: { id: string; lookupTag: string; proof: string; emailCode?: { email: string; code: string } }) =>
  call<{ serverShare: string; payload: string }>('reveal', input);
