// Messages of the trash (issue 16); merged into Protocol in protocol.ts. 'vault.delete' stays the
// delete for good; the popup's Delete moves an entry to the trash with 'trash.move'.
import type { EntrySummary } from '../model/entry';
import type { SenderKind } from './protocol';

export interface TrashedEntry extends EntrySummary {
  trashedAt: number;
  /** When it is deleted for good, unless restored first. */
  expiresAt: number;
}

export interface TrashMoved {
  /**
   * Link shares of the entry that were ended (trashing ends them at once); null when they could not
   * be ended now (no connection to the server): they end when the entry is deleted for good.
   */
  linkSharesEnded: number | null;
}

export interface TrashProtocol {
  /** The trash, most recently trashed first. */
  'trash.list': { req: void; res: TrashedEntry[] };
  'trash.move': { req: { id: string }; res: TrashMoved };
  'trash.restore': { req: { id: string }; res: EntrySummary };
  /** Deletes an entry in the trash for good (one out of it is refused). */
  'trash.deleteForGood': { req: { id: string }; res: void };
}

export const TRASH_SENDERS: { [K in keyof TrashProtocol]: readonly SenderKind[] } = {
  'trash.list': ['popup', 'options'],
  'trash.move': ['popup', 'options'],
  'trash.restore': ['popup', 'options'],
  'trash.deleteForGood': ['popup', 'options'],
};
