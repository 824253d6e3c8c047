// The autologin policy (SECURITY.md 1–14) as pure decisions. The background autofill service
// calls these with what the browser told it about the sender frame; each returns why not, or
// undefined when the fill may go ahead.
import { getDomain } from 'tldts';
import type { FormKindReport } from '../messages/autofill-protocol';
import { isFillKind } from './kinds';
import { entryMatchesUrl, placeOfPage, type MatchMode } from './match';
import { t } from '../i18n';

export { fieldsFor, isFillKind, isLoginKind } from './kinds';

/** "Open & log in" fills only within this window after the tab was opened (item 2). */
export const OPEN_WINDOW_MS = 30_000;
/** The entry chosen on a username step is used on the password step for this long (item 12). */
export const STEP_MEMORY_MS = 3 * 60_000;
/** One fill on load per tab and origin in this time: a failed login must not loop. */
export const AUTOLOGIN_COOLDOWN_MS = 60_000;
/** How long a user action (popup, menu, key) waits for the frames to answer. */
export const TRIGGER_TIMEOUT_MS = 1_500;

export interface FrameInfo {
  tabId: number;
  frameId: number;
  /** The frame's own origin, from the browser (never the top page's). */
  origin: string;
  url: string;
}

interface Matchable {
  urls: readonly string[];
  autologin: { enabled: boolean; autoSubmit: boolean; match: MatchMode };
}


/** Sandboxed frames (origin null), about:blank, data:, blob: and non-web pages get nothing (item 4). */
export function frameRefusal(frame: Pick<FrameInfo, 'origin' | 'url'>): string | undefined {
  if (!frame.origin || frame.origin === 'null') return t('autofillRefusedNoOrigin');
  if (!/^https?:/.test(frame.url) || !placeOfPage(frame.origin)) return t('autofillRefusedNotWeb');
  return undefined;
}

/** Whether an entry may be filled into this frame: its own origin, by the entry's match mode (items 4–7). */
export function entryFitsFrame(entry: Matchable, frame: Pick<FrameInfo, 'origin'>): boolean {
  return entryMatchesUrl(entry.urls, entry.autologin.match, frame.origin);
}

export type ActionVerdict = 'ok' | 'confirm' | 'refuse';

/**
 * A form that posts to another origin (item 8): never filled automatically; a clicked fill first
 * names the target origin, and goes ahead once the person accepted exactly that origin.
 */
export function actionVerdict(frameOrigin: string, actionOrigin: string, mode: 'auto' | 'click', accepted?: string): ActionVerdict {
  if (actionOrigin === frameOrigin) return 'ok';
  if (mode === 'auto') return 'refuse';
  return accepted !== undefined && accepted === actionOrigin ? 'ok' : 'confirm';
}

const site = (origin: string) => {
  const host = placeOfPage(origin)?.hostname;
  return host ? (getDomain(host, { allowPrivateDomains: true }) ?? host) : origin;
};

export interface AutologinContext {
  frame: FrameInfo;
  kind: FormKindReport;
  /** Every entry that matches the frame (not only those with autologin on). */
  matches: readonly Matchable[];
  /** The tab was opened by a page (window.open, target=_blank) rather than by the person. */
  openedByPage: boolean;
  /** Origin of document.referrer, '' when none. */
  referrer: string;
  /** The browser reported a client or server redirect for this navigation, when it can tell. */
  redirected: boolean;
  /** Last fill on load in this tab and origin, if any. */
  lastAutoFillAt?: number;
  now: number;
}

/** Fill on page load without a click (item 3). */
export function autologinRefusal(c: AutologinContext): string | undefined {
  if (!isFillKind(c.kind)) return 'not a login form';
  if (c.frame.frameId !== 0) return 'only the top frame fills on load';
  if (!c.frame.origin.startsWith('https:')) return 'fill on load needs https';
  if (c.matches.length !== 1) return c.matches.length === 0 ? 'no entry matches' : 'more than one entry matches';
  if (!c.matches[0]!.autologin.enabled) return 'autologin is off for this entry';
  if (c.openedByPage) return 'the tab was opened by a page';
  if (c.redirected) return 'the page was reached by a redirect';
  if (c.referrer && site(c.referrer) !== site(c.frame.origin)) return 'the page was reached from another site';
  if (c.lastAutoFillAt !== undefined && c.now - c.lastAutoFillAt < AUTOLOGIN_COOLDOWN_MS) return 'filled on load a moment ago';
  return undefined;
}

export interface OpenIntent {
  tabId: number;
  entryId: string;
  expiresAt: number;
  /** The login was filled; the window stays open for the entry's one-time code on the next step. */
  codeOnly?: boolean;
}

/** "Open & log in" (item 2): that tab, its top frame, within the window, origin still matching. */
export function openLoginRefusal(intent: OpenIntent, frame: FrameInfo, entry: Matchable, kind: FormKindReport, now: number): string | undefined {
  if (frame.tabId !== intent.tabId) return 'another tab';
  if (frame.frameId !== 0) return 'only the top frame';
  if (now > intent.expiresAt) return 'the window to log in has passed';
  if (!entryFitsFrame(entry, frame)) return "the page's origin does not match the entry";
  if (!isFillKind(kind)) return 'not a login form';
  if (intent.codeOnly && kind !== 'otp') return 'the password was filled already; only the one-time code is left';
  return undefined;
}

export interface StepMemory {
  entryId: string;
  at: number;
}

/** The remembered entry of a multi-step login (item 12): same tab, same origin, a few minutes. */
export function rememberedEntry(memory: ReadonlyMap<string, StepMemory>, tabId: number, origin: string, now: number): string | undefined {
  const m = memory.get(memoryKey(tabId, origin));
  return m && now - m.at <= STEP_MEMORY_MS ? m.entryId : undefined;
}

export const memoryKey = (tabId: number, origin: string) => `${tabId} ${origin}`;

