// Messages of one-time codes (issue 15); merged into Protocol in protocol.ts. The popup asks for the
// current code of an entry (to copy it after a fill) without loading otpauth itself.
import type { SenderKind } from './protocol';

export interface TotpProtocol {
  /** The entry's current code, or null when it has no one-time code. */
  'totp.code': { req: { entryId: string }; res: { code: string; remainingMs: number } | null };
}

export const TOTP_SENDERS: { [K in keyof TotpProtocol]: readonly SenderKind[] } = {
  'totp.code': ['popup', 'options'],
};
