// Messages of share objects (issue 14); merged into Protocol in protocol.ts. The background signs,
// seals, verifies and rotates; the popup shows who is in a share and with what permission, and
// says what a person asks for. Permission words: read = "view only", write = "view & modify",
// grant = "may change members and permissions".
import type { SenderKind } from './protocol';

/** Broadcast by the background to the extension's pages (not a request) when shares or offers changed. */
export const SHARES_CHANGED_EVENT = 'latchkey.shares.changed';

export type ShareRole = 'read' | 'write' | 'grant';

/** What an entry in a share carries in the list: its mark, and what filters need. */
export interface EntryShareMark {
  container: string;
  /** I created the share (a "shared by me" mark); otherwise "shared with me by <sharedBy>". */
  byMe: boolean;
  /** The username of the share's creator. */
  sharedBy: string;
  /** My permission in it. */
  role: ShareRole;
  /** The other members' user ids ("I shared with <person>"). */
  with: string[];
  /** A member who could read it was removed: members with grant are asked to change the password. */
  considerChanging?: boolean;
}

export interface ShareMemberView {
  userId: string;
  username: string;
  fingerprint: string;
  role: ShareRole;
  /** The username of whoever granted this permission. */
  grantedBy: string;
  /** When the access ends by itself; null for never. */
  expiresAt: number | null;
  /** False while the person has not accepted yet. */
  accepted: boolean;
  me: boolean;
}

export interface ShareView {
  container: string;
  /** The folder a folder share carries (new entries saved in it join the share), or null for an entry share. */
  folder: string | null;
  entryIds: string[];
  myRole: ShareRole;
  byMe: boolean;
  members: ShareMemberView[];
  /** A member left or an end date passed: the key is rotated at the next sync of a member with grant. */
  rotationDue: boolean;
}

/** A share offered to me, waiting for me to accept it before it appears in my vault. */
export interface ShareOffer {
  container: string;
  from: string;
  fromFingerprint: string;
  role: ShareRole;
  folder: string | null;
  /** How many entries it holds (known once its key is verified). */
  entries: number;
  offeredAt: number;
}

export interface ShareMemberChoice {
  userId: string;
  role: ShareRole;
  expiresAt?: number | null;
}

export interface ShareProtocol {
  /** The share an entry is in, or null when it is only mine. */
  'shares.forEntry': { req: { entryId: string }; res: ShareView | null };
  /** The share of a folder, or null. */
  'shares.forFolder': { req: { folder: string }; res: ShareView | null };
  /**
   * Shares entries (or a folder: every entry in it, and those saved into it later) with these
   * people, my sharing connections. The entries move out of my personal vault into a new share.
   */
  'shares.create': { req: ({ entryIds: string[] } | { folder: string }) & { members: ShareMemberChoice[] }; res: ShareView };
  /**
   * The members a share should have from now on (me left out). Someone left out is removed and the
   * key is rotated; new people are granted the current key; role and end-date changes apply.
   */
  'shares.setMembers': { req: { container: string; members: ShareMemberChoice[] }; res: ShareView };
  'shares.offers': { req: void; res: ShareOffer[] };
  'shares.accept': { req: { container: string }; res: void };
  'shares.decline': { req: { container: string }; res: void };
  /** A member leaves a share; its entries leave their vault. */
  'shares.leave': { req: { container: string }; res: void };
  /** The creator ends a share: its entries move back into their personal vault, every member loses them. */
  'shares.end': { req: { container: string }; res: void };
  /** Clears the "consider changing this password" flag of an entry. */
  'shares.dismissChangeAdvice': { req: { entryId: string }; res: void };
}

const PAGES = ['popup', 'options'] as const satisfies readonly SenderKind[];

export const SHARE_SENDERS: { [K in keyof ShareProtocol]: readonly SenderKind[] } = {
  'shares.forEntry': PAGES,
  'shares.forFolder': PAGES,
  'shares.create': PAGES,
  'shares.setMembers': PAGES,
  'shares.offers': PAGES,
  'shares.accept': PAGES,
  'shares.decline': PAGES,
  'shares.leave': PAGES,
  'shares.end': PAGES,
  'shares.dismissChangeAdvice': PAGES,
};
