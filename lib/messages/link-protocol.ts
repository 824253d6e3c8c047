// Messages of link shares (issue 12); merged into Protocol in protocol.ts. The popup says what to
// share and how; the background builds the link (Argon2id off the popup), asks the server, and keeps
// each link's secret sealed in the vault so it can be copied again.
import type { SenderKind } from './protocol';

export const LINK_MAX_USES = 100;
export const LINK_MAX_DAYS = 30;
export const LINK_MAX_ENTRIES = 50;
export const LINK_MAX_EMAILS = 10;
export const LINK_NOTE_MAX = 500;
export const LINK_SENDER_NAME_MAX = 100;
export const LINK_TITLE_MAX = 200;
export const LINK_ATTEMPTS = { min: 3, max: 20, default: 10, pin: 3 } as const;

/** Broadcast by the background to the extension's pages (not a request) when my link shares changed. */
export const LINKS_CHANGED_EVENT = 'latchkey.links.changed';

export type LinkProtection = { kind: 'none' } | { kind: 'pin'; pin: string } | { kind: 'passphrase'; passphrase: string };

export interface LinkCreateRequest {
  entryIds: string[];
  /** Shown to the recipient before anything is revealed. */
  title: string;
  maxUses: number;
  /** ms since the epoch; at most 30 days ahead. */
  expiresAt: number;
  protection: LinkProtection;
  /** Passphrase links only (3..20); a PIN link always allows 3, an open link none. */
  maxAttempts?: number;
  includeNotes: boolean;
  /** Only these addresses may open it (each proves it with an emailed code). */
  emails: string[];
}

export type LinkState = 'active' | 'used-up' | 'expired' | 'destroyed' | 'revoked';

/** One of my links, as "My link shares" shows it: what the server counts and what this device keeps. */
export interface LinkShareView {
  id: string;
  title: string;
  /** The entries' titles when the link was made (the link is a copy of them then). */
  entryTitles: string[];
  createdAt: number;
  expiresAt: number;
  maxUses: number;
  uses: number;
  attempts: number;
  maxAttempts: number | null;
  protection: 'none' | 'pin' | 'passphrase';
  restricted: boolean;
  lastOpenedAt: number | null;
  state: LinkState;
  /** This device still has the link's secret: "Copy the link again" works. */
  canCopy: boolean;
  /** Opened since the person last looked at the list. */
  unseen: boolean;
}

export interface LinkCreated {
  id: string;
  url: string;
  title: string;
  expiresAt: number;
}

/** An entry revealed on a pick-up page, as the page exposes it (LinkPayload entry). */
export interface PickupEntry {
  title: string;
  username: string;
  password: string;
  urls: string[];
  notes?: string;
  totp?: string;
}

export interface LinkProtocol {
  'links.create': { req: LinkCreateRequest; res: LinkCreated };
  'links.list': { req: void; res: LinkShareView[] };
  'links.revoke': { req: { id: string }; res: void };
  /** The whole link again, from the secret kept sealed in the vault. */
  'links.url': { req: { id: string }; res: { url: string } };
  'links.sendEmail': { req: { id: string; to: string; senderName: string; note: string }; res: void };
  /** The list was looked at: clears the toolbar badge. */
  'links.seen': { req: void; res: void };
  /** Whether a tab's URL is a pick-up page of the server this vault syncs with. */
  'links.isPickup': { req: { url: string }; res: boolean };
  /** Saves entries revealed on a pick-up page into the vault, in one transaction. */
  'links.saveShared': { req: { entries: unknown[]; folder: string }; res: { saved: number } };
}

const PAGES = ['popup', 'options'] as const satisfies readonly SenderKind[];

export const LINK_SENDERS: { [K in keyof LinkProtocol]: readonly SenderKind[] } = {
  'links.create': PAGES,
  'links.list': PAGES,
  'links.revoke': PAGES,
  'links.url': PAGES,
  'links.sendEmail': PAGES,
  'links.seen': PAGES,
  'links.isPickup': PAGES,
  'links.saveShared': PAGES,
};
