// The one typed protocol between popup, options page, content script, offscreen document and
// background. Each message names its request, its response and which contexts may send it.
import type { Entry, EntryFields, EntrySummary, EntryWrite, SavedEntry } from '../model/entry';
import type { ErrorCode } from '../errors';
import { AUTOFILL_SENDERS, type AutofillProtocol } from './autofill-protocol';
import { SYNC_SENDERS, type SyncProtocol } from './sync-protocol';
import { IMPORT_SENDERS, type ImportProtocol } from './import-protocol';
import { TOTP_SENDERS, type TotpProtocol } from './totp-protocol';
import { LINK_SENDERS, type LinkProtocol } from './link-protocol';
import { PEOPLE_SENDERS, type PeopleProtocol } from './people-protocol';
import { MESSAGE_SENDERS, type MessageProtocol } from './message-protocol';
import { HEALTH_SENDERS, type HealthProtocol } from './health-protocol';
import { TRASH_SENDERS, type TrashProtocol } from './trash-protocol';
import { SHARE_SENDERS, type ShareProtocol } from './share-protocol';
import type { SharedFilter, ShareFacets } from '../vault/share-filter';

/** Where a message came from, as the background works it out from the runtime sender. */
export type SenderKind = 'popup' | 'options' | 'content' | 'offscreen';

/** Extension pages: the only contexts that may ask for vault contents (SECURITY.md 14). */
const PAGES = ['popup', 'options'] as const satisfies readonly SenderKind[];

/**
 * Broadcast by the background to the extension's pages (not a request) whenever the vault locks or
 * unlocks, whoever caused it (idle time, another page, the computer locking), so open pages follow
 * at once instead of at their next request. Carries the new state, never a key.
 */
export const SESSION_CHANGED_EVENT = 'latchkey.session.changed';

export interface SessionChanged {
  event: typeof SESSION_CHANGED_EVENT;
  vault: 'locked' | 'unlocked';
}

/**
 * Broadcast by the background to the extension's pages whenever entries changed: here (a save, the
 * trash, an import), or applied by sync from another device (`remote`). Open lists and entries read
 * again; an open edit form says the entry changed elsewhere. Carries ids only, never contents;
 * `ids` is null when too much changed to name (a first download, a large pull).
 */
export const VAULT_CHANGED_EVENT = 'latchkey.vault.changed';

export interface VaultChange {
  ids: string[] | null;
  remote: boolean;
}

export interface VaultChanged extends VaultChange {
  event: typeof VAULT_CHANGED_EVENT;
}

export interface SessionStatus {
  /** none: no vault on this device yet; locked: a vault, keys not in memory; unlocked: ready. */
  vault: 'none' | 'locked' | 'unlocked';
  idleMinutes: number;
  /** Lock when the computer locks (or sleeps, where the system locks on sleep); on by default. */
  lockOnSystemLock: boolean;
}

export interface VaultListing {
  entries: EntrySummary[];
  /** Records that could not be opened; the rest of the vault still is. */
  problems: { id: string; code: ErrorCode; message: string }[];
}

export interface Facet {
  name: string;
  count: number;
}

export interface VaultQuery {
  /** Words that must all appear in the title, username, URLs or tags. */
  query: string;
  folder: string | null;
  tag: string | null;
  /** A quick filter over shares ("Shared with me", "I shared", "I shared with <person>"); absent or null for none. */
  shared?: SharedFilter | null;
  /** The current tab's page: its entries come first. */
  pageUrl?: string;
  /** The window of results wanted: the popup renders only the visible rows. */
  offset: number;
  limit: number;
}

export interface VaultQueryResult {
  /** Matching entries in all. */
  total: number;
  /** How many of the first results fit the current page. */
  siteCount: number;
  rows: (EntrySummary & { site: boolean })[];
  folders: Facet[];
  tags: Facet[];
  /** Counts for the share quick filters; a person's count is named by their user id. */
  shares: ShareFacets;
  problems: VaultListing['problems'];
}

export interface ImportResult {
  imported: number;
  errors: { index: number; message: string }[];
}

/** Request, response and allowed senders of every message. */
export interface Protocol extends AutofillProtocol, SyncProtocol, ImportProtocol, TotpProtocol, LinkProtocol, PeopleProtocol, MessageProtocol, HealthProtocol, TrashProtocol, ShareProtocol {
  'session.status': { req: void; res: SessionStatus };
  'session.create': { req: { password: string }; res: void };
  'session.unlock': { req: { password: string }; res: void };
  'session.lock': { req: void; res: void };
  'session.setIdleMinutes': { req: { minutes: number }; res: void };
  'session.touch': { req: void; res: void };
  'session.setLockOnSystemLock': { req: { enabled: boolean }; res: void };
  'vault.list': { req: void; res: VaultListing };
  'vault.query': { req: VaultQuery; res: VaultQueryResult };
  'vault.get': { req: { id: string }; res: Entry };
  'vault.save': { req: EntryWrite; res: SavedEntry };
  'vault.delete': { req: { id: string }; res: void };
  'vault.import': { req: { records: unknown[] }; res: ImportResult };
  'clipboard.scheduleClear': { req: { text: string }; res: void };
  'kdf.derive': { req: { password: string; salt: string; memoryKiB: number; passes: number; lanes: number }; res: { key: string } };
}

export const SENDERS: { [K in keyof Protocol]: readonly SenderKind[] } = {
  'session.status': PAGES,
  'session.create': PAGES,
  'session.unlock': PAGES,
  'session.lock': PAGES,
  'session.setIdleMinutes': PAGES,
  'session.touch': PAGES,
  'session.setLockOnSystemLock': PAGES,
  'vault.list': PAGES,
  'vault.query': PAGES,
  'vault.get': PAGES,
  'vault.save': PAGES,
  'vault.delete': PAGES,
  'vault.import': PAGES,
  'clipboard.scheduleClear': PAGES,
  // Sent by the background to the offscreen document, never the other way.
  'kdf.derive': [],
  ...AUTOFILL_SENDERS,
  ...SYNC_SENDERS,
  ...IMPORT_SENDERS,
  ...TOTP_SENDERS,
  ...LINK_SENDERS,
  ...PEOPLE_SENDERS,
  ...MESSAGE_SENDERS,
  ...HEALTH_SENDERS,
  ...TRASH_SENDERS,
  ...SHARE_SENDERS,
};

export type MessageType = keyof Protocol;
export type RequestOf<T extends MessageType> = Protocol[T]['req'];
export type ResponseOf<T extends MessageType> = Protocol[T]['res'];

export type Envelope<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string; subject?: string };

export interface Message<T extends MessageType = MessageType> {
  /** Marks our messages so handlers ignore anything else on the runtime channel. */
  latchkey: 1;
  type: T;
  payload: RequestOf<T>;
}

export function isMessage(m: unknown): m is Message {
  return typeof m === 'object' && m !== null && (m as Message).latchkey === 1 && typeof (m as Message).type === 'string';
}
