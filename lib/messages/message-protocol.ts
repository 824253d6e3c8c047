// Messages between connected people (issue 13): copies of entries with a note, sealed to the
// recipient and signed by the sender in the background; merged into Protocol in protocol.ts.
import type { MessageEntry } from '../sharing/message-format';
import type { SenderKind } from './protocol';

export type { MessageEntry };

export interface MessageListItem {
  id: string;
  peer: { userId: string; username: string };
  direction: 'in' | 'out';
  createdAt: number;
  /** Inbox only: when I first opened it; null while unread. */
  readAt: number | null;
}

export interface MessageList {
  messages: MessageListItem[];
  /** The cursor of the next (older) page; null at the end. */
  next: string | null;
  unread: number;
}

/** An opened message: its note and copies, or why it could not be verified (then it cannot be saved). */
export type MessageView = MessageListItem &
  ({ verified: true; note: string; entries: MessageEntry[] } | { verified: false; problem: string });

export interface SendRequest {
  recipientId: string;
  entryIds: string[];
  note: string;
  includeNotes: boolean;
}

export interface MessageProtocol {
  'messages.send': { req: SendRequest; res: { id: string } };
  'messages.list': { req: { box: 'in' | 'out'; before?: string | null }; res: MessageList };
  /** Opens (and for the inbox marks read) one message, checking its signature. */
  'messages.open': { req: { id: string }; res: MessageView };
  /** Saves the copies of a verified message into my vault, in one folder. */
  'messages.save': { req: { id: string; folder: string }; res: { saved: number } };
  'messages.delete': { req: { id: string }; res: void };
}

const PAGES = ['popup', 'options'] as const satisfies readonly SenderKind[];

export const MESSAGE_SENDERS: { [K in keyof MessageProtocol]: readonly SenderKind[] } = {
  'messages.send': PAGES,
  'messages.list': PAGES,
  'messages.open': PAGES,
  'messages.save': PAGES,
  'messages.delete': PAGES,
};
