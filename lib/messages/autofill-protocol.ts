// Messages of autologin: content script <-> background, and the popup's "Fill" / "Open & log in".
// Owned by the autologin work (issue 3); merged into Protocol in protocol.ts.
//
// For the popup:
//   'autofill.fill'             { entryId?, tabId?, allowActionOrigin? } -> FillOutcome
//       Fill the page in tabId (default: the active tab) with entryId (default: the best match
//       for the frame). When the outcome is 'confirm', the form posts to another origin: show
//       outcome.actionOrigin to the person and send again with allowActionOrigin set to it.
//   'autofill.openAndLogin'     { entryId } -> { tabId }
//       Open the entry's URL in a new tab; fill (and submit when the entry says so) there, top
//       frame only, within 30 s, and only while the page's origin still matches the entry.
//   'autofill.saveOffer'        { tabId? } -> SaveOffer | null
//       A login the person typed and submitted on that tab, offered for saving or updating.
//   'autofill.answerSaveOffer'  { offerId, action: 'save' | 'update' | 'dismiss', entryId? } -> EntrySummary | null
// From the content script only (never answered with more than one fill's credentials):
//   'autofill.claim'            { intentId?, form } -> ClaimAnswer
//   'autofill.ready'            { referrer } -> ReadyFill | 'claim' | null
//       Asked by the top frame's core as its document starts, where fill on load may happen: the
//       one entry's fill, once the background has checked everything that does not depend on the
//       form (SECURITY.md 3, 4, 7). The core fills it only into a login form of an allowed kind
//       that posts to the page's own origin (8), into visible fields (9), once, and drops it after
//       READY_MS or at the first login form. 'claim': ask with the form when it appears (where the
//       browser does not name documents, and for "Open & log in"); null: no fill on load here.
//   'autofill.readyUsed'        { kind } -> void   (the ready fill was used, for the cooldown and step memory)
//   'autofill.submitted'        { kind, username, password } -> void
//   'autofill.result'           { intentId, result } -> void   (what became of a clicked fill:
//       'filled' or a FillRefusal code, which the background turns into the person's language)
//   'autofill.loadCore'         void -> void   (inject the detection core into the sender frame)
import type { EntrySummary } from '../model/entry';
import type { SenderKind } from './protocol';

/**
 * Why the content script did not fill what the background answered: codes, not text (the content
 * script carries no message catalogue; lib/autofill/refusal-text.ts words them).
 */
export type FillRefusal =
  | 'noField'
  | 'fieldChanged'
  | 'notVisible'
  | 'covered'
  | 'frameCovered'
  | 'actionChanged'
  | 'passwordChanged';

/** What the content script found in its frame. */
/** otp: a step that asks only for a one-time code (autocomplete="one-time-code", or one code field). */
export type FormKindReport = 'login' | 'password' | 'username' | 'otp' | 'signup' | 'change-password' | 'none';

export interface FormReport {
  kind: FormKindReport;
  /** Origin the form would post to (formaction, else action, else the page's own origin). */
  actionOrigin: string;
  /** The frame holds the keyboard focus (the keyboard command fills the focused frame). */
  focused: boolean;
  /** Origin of document.referrer ('' when none): arriving from another site is not a fill-on-load. */
  referrer: string;
}

/** One fill, for one frame: at most one entry's username and password, or its current one-time code. */
export interface FillOrder {
  username?: string;
  password?: string;
  /** The entry's current 6–8 digit code (made in the background; the secret never leaves it). */
  code?: string;
  submit: boolean;
  /** The form must still post here when the fill happens and when it is submitted. */
  actionOrigin: string;
}

export type ClaimAnswer = { fill: FillOrder } | { refused: string } | null;

/** Login kinds a fill on load may fill. */
export type LoginKind = 'login' | 'password' | 'username';

/** Every kind of step Latchkey fills: the login kinds, and the one-time-code step after them. */
export type FillKind = LoginKind | 'otp';

/** A fill on load handed over before the form is there: used at most once, for one of `kinds`. */
export interface ReadyFill {
  username: string;
  password: string;
  submit: boolean;
  /** The kinds of form it may fill (a kind filled on load a moment ago is left out). */
  kinds: LoginKind[];
}

export type FillStatus = 'filled' | 'nothing' | 'refused' | 'confirm';

export interface FillOutcome {
  status: FillStatus;
  /** What to tell the person. */
  message: string;
  /** For 'confirm': where the form sends the password. */
  actionOrigin?: string;
  /** The entry that was filled. */
  entryId?: string;
}

export interface SaveOffer {
  offerId: string;
  tabId: number;
  origin: string;
  username: string;
  /** 'update' when an entry for this origin and username has another password. */
  action: 'save' | 'update';
  /** For 'update': the entry that would change. */
  entryId?: string;
  entryTitle?: string;
  createdAt: number;
}

/** Messages from the background to a tab's content scripts (browser.tabs.sendMessage). */
export type ContentCommand =
  | { latchkey: 1; type: 'autofill.trigger'; intentId: string; focusedOnly: boolean }
  | { latchkey: 1; type: 'autofill.generated'; password: string };

export interface AutofillProtocol {
  'autofill.fill': { req: { entryId?: string; tabId?: number; allowActionOrigin?: string }; res: FillOutcome };
  'autofill.openAndLogin': { req: { entryId: string }; res: { tabId: number } };
  'autofill.saveOffer': { req: { tabId?: number }; res: SaveOffer | null };
  'autofill.answerSaveOffer': { req: { offerId: string; action: 'save' | 'update' | 'dismiss'; entryId?: string }; res: EntrySummary | null };
  'autofill.claim': { req: { intentId?: string; form: FormReport }; res: ClaimAnswer };
  'autofill.ready': { req: { referrer: string }; res: ReadyFill | 'claim' | null };
  'autofill.readyUsed': { req: { kind: LoginKind }; res: void };
  'autofill.submitted': { req: { kind: FormKindReport; username: string; password: string }; res: void };
  'autofill.result': { req: { intentId: string; result: string }; res: void };
  'autofill.loadCore': { req: void; res: void };
}

export const AUTOFILL_SENDERS: { [K in keyof AutofillProtocol]: readonly SenderKind[] } = {
  'autofill.fill': ['popup'],
  'autofill.openAndLogin': ['popup'],
  'autofill.saveOffer': ['popup'],
  'autofill.answerSaveOffer': ['popup'],
  'autofill.claim': ['content'],
  'autofill.ready': ['content'],
  'autofill.readyUsed': ['content'],
  'autofill.submitted': ['content'],
  'autofill.result': ['content'],
  'autofill.loadCore': ['content'],
};
