// Messages of the account and sync work (issue 4); merged into Protocol in protocol.ts.
import type { SenderKind } from './protocol';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SyncProtocol {}

export const SYNC_SENDERS: { [K in keyof SyncProtocol]: readonly SenderKind[] } = {};
