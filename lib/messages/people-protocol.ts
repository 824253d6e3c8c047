// Messages of people and connections (issue 13); merged into Protocol in protocol.ts. The
// background talks to the server, pins each person's keys and compares them; the popup shows
// what it is told: usernames, fingerprints, kinds of connection, and key warnings.
import type { SenderKind } from './protocol';

/** Broadcast by the background to the extension's pages (not a request) when people, invitations or messages changed. */
export const PEOPLE_CHANGED_EVENT = 'latchkey.people.changed';

export type ConnectionKind = 'messages' | 'sharing';

/** One connected person as the People screen shows them. */
export interface PersonView {
  userId: string;
  username: string;
  kind: ConnectionKind;
  /** A request to start sharing that waits: 'sent' by me, 'received' from them. */
  sharingRequest: 'none' | 'sent' | 'received';
  /** The fingerprint of the keys I pinned: what the two of us compare. */
  fingerprint: string;
  /** same: the server reports the pinned keys; changed: it reports others (nothing is sealed to them until accepted). */
  keyState: 'same' | 'changed';
  /** The fingerprint of the keys the server now reports, when they differ from the pinned ones. */
  newFingerprint?: string;
  verified: boolean;
  /** How many entries I share with this person, both ways (issue 14). */
  sharedEntries?: number;
}

export interface InvitationView {
  id: string;
  /** The person, when the invitation names an account (incoming always, outgoing by username). */
  username?: string;
  fingerprint?: string;
  /** Outgoing by email: the address. */
  email?: string;
  kind: ConnectionKind;
  createdAt: number;
  expiresAt: number;
}

export interface PeopleOverview {
  me: { username: string; fingerprint: string };
  connections: PersonView[];
  incoming: InvitationView[];
  outgoing: InvitationView[];
}

/** What a lookup found: a person (with what they may show), or nothing for that username. */
export type LookupResult =
  | { found: 'user'; userId: string; username: string; fingerprint: string; self: boolean }
  | { found: 'none'; email: boolean };

export interface PeopleProtocol {
  'people.overview': { req: void; res: PeopleOverview };
  /** An exact username (or an email address: nothing is said about it, an invitation can be sent). */
  'people.lookup': { req: { query: string }; res: LookupResult };
  'people.invite': { req: { userId: string } | { email: string }; res: void };
  'people.acceptInvitation': { req: { id: string }; res: void };
  'people.declineInvitation': { req: { id: string }; res: void };
  'people.cancelInvitation': { req: { id: string }; res: void };
  'people.requestSharing': { req: { userId: string }; res: void };
  'people.acceptSharing': { req: { userId: string }; res: void };
  'people.stopSharing': { req: { userId: string }; res: void };
  'people.remove': { req: { userId: string }; res: void };
  /** We compared fingerprints and they match. */
  'people.markVerified': { req: { userId: string }; res: void };
  /** Pins the keys the server now reports for this person, after their key changed (not verified). */
  'people.acceptKey': { req: { userId: string }; res: void };
}

const PAGES = ['popup', 'options'] as const satisfies readonly SenderKind[];

export const PEOPLE_SENDERS: { [K in keyof PeopleProtocol]: readonly SenderKind[] } = {
  'people.overview': PAGES,
  'people.lookup': PAGES,
  'people.invite': PAGES,
  'people.acceptInvitation': PAGES,
  'people.declineInvitation': PAGES,
  'people.cancelInvitation': PAGES,
  'people.requestSharing': PAGES,
  'people.acceptSharing': PAGES,
  'people.stopSharing': PAGES,
  'people.remove': PAGES,
  'people.markVerified': PAGES,
  'people.acceptKey': PAGES,
};
