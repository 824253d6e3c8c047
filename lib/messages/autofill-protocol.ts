// Messages of autologin: content script <-> background, and the popup's "Fill" / "Open & log in".
// Owned by the autologin work (issue 3); merged into Protocol in protocol.ts.
import type { SenderKind } from './protocol';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AutofillProtocol {}

export const AUTOFILL_SENDERS: { [K in keyof AutofillProtocol]: readonly SenderKind[] } = {};
