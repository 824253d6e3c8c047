// Autologin in the background: answers content scripts only for their own frame's origin, holds
// every policy decision (lib/autofill/policy.ts), and hands a frame at most one fill's credentials.
import type { WxtBrowser as Browser } from 'wxt/browser';
import { AppError } from '../errors';
import type { ClaimAnswer, ContentCommand, FillOutcome, FormReport } from '../messages/autofill-protocol';
import type { MessageRouter, SenderInfo } from '../messages/router';
import type { EntrySummary } from '../model/entry';
import { createEntryIndex, type EntryIndex } from '../autofill/entry-index';
import { placeOfSaved } from '../autofill/match';
import {
  actionVerdict,
  autologinRefusal,
  entryFitsFrame,
  fieldsFor,
  frameRefusal,
  isLoginKind,
  memoryKey,
  openLoginRefusal,
  rememberedEntry,
  OPEN_WINDOW_MS,
  TRIGGER_TIMEOUT_MS,
  type FrameInfo,
  type OpenIntent,
  type StepMemory,
} from '../autofill/policy';
import { createSaveOffers } from '../autofill/save-offers';
import type { SessionService, VaultService } from './types';

export interface AutofillDeps {
  router: MessageRouter;
  vault: VaultService;
  session: SessionService;
  browser: Browser;
  now?: () => number;
}

export type TriggerSource = 'popup' | 'menu' | 'command';

interface Claim {
  frame: FrameInfo;
  form: FormReport;
  answer: (a: ClaimAnswer) => void;
}

interface Intent {
  id: string;
  tabId: number;
  frameId?: number;
  entryId?: string;
  source: TriggerSource;
  accepted?: string;
  claims: Claim[];
  chosen?: FrameInfo;
  done: boolean;
  timer?: ReturnType<typeof setTimeout>;
  finish: (o: FillOutcome) => void;
}

const CONTENT_SCRIPT = '/content-scripts/autologin.js';
const CORE_SCRIPT = '/autologin-core.js';
const newId = () => crypto.randomUUID();
const CERT_TTL_MS = 10 * 60_000;

export function createAutofillService(deps: AutofillDeps) {
  const { router, vault, session, browser } = deps;
  const now = deps.now ?? Date.now;
  let index: EntryIndex | undefined;
  const intents = new Map<string, Intent>();
  const openIntents = new Map<number, OpenIntent>();
  const memory = new Map<string, StepMemory>();
  const lastAutoFill = new Map<string, number>();
  const pageOpened = new Set<number>();
  const redirected = new Set<number>();

  const offers = createSaveOffers({
    matches: async (origin) => (await entries()).matches(origin),
    get: (id) => vault.get(id),
    save: (input) => vault.save(input),
    badge: (tabId, offer) => {
      void browser.action.setBadgeText({ tabId, text: offer ? '+' : '' }).catch(() => {});
      void browser.action.setTitle({ tabId, title: offer ? `Latchkey: ${offer.action} the login for ${offer.origin}?` : 'Latchkey' }).catch(() => {});
    },
    now,
    newId,
  });

  async function entries(): Promise<EntryIndex> {
    index ??= createEntryIndex(await vault.summaries());
    return index;
  }
  vault.onChange(() => (index = undefined));
  session.onLock(() => {
    index = undefined;
    memory.clear();
    offers.clear();
  });

  browser.tabs.onCreated.addListener((tab) => {
    if (tab.id !== undefined && tab.openerTabId !== undefined) pageOpened.add(tab.id);
  });
  browser.tabs.onRemoved.addListener((tabId) => {
    pageOpened.delete(tabId);
    redirected.delete(tabId);
    openIntents.delete(tabId);
    offers.forget(tabId);
    for (const key of [...memory.keys()]) if (key.startsWith(`${tabId} `)) memory.delete(key);
  });
  // Where a fill on load or "Open & log in" may happen, have the core ready before the form shows.
  browser.tabs.onUpdated.addListener((tabId, change, tab) => {
    if (change.status !== 'complete' || !tab.url || session.state() !== 'unlocked') return;
    void (async () => {
      const wanted = openIntents.has(tabId) || (tab.url!.startsWith('https:') && (await entries()).matches(tab.url!).some((e) => e.autologin.enabled));
      if (!wanted) return;
      void certificateOk(new URL(tab.url!).origin);
      await inject(tabId, 0, CORE_SCRIPT);
    })().catch(() => {});
  });
  // With the webNavigation permission the browser tells redirects apart from typed navigations.
  const nav = (browser as unknown as { webNavigation?: { onCommitted?: { addListener(l: (d: { tabId: number; frameId: number; transitionQualifiers?: string[] }) => void): void } } }).webNavigation;
  nav?.onCommitted?.addListener((d) => {
    if (d.frameId !== 0) return;
    if (d.transitionQualifiers?.some((q) => q === 'client_redirect' || q === 'server_redirect')) redirected.add(d.tabId);
    else redirected.delete(d.tabId);
  });

  /** Runs one of our scripts in a tab's frame (all frames when frameId is undefined). */
  async function inject(tabId: number, frameId: number | undefined, file: string): Promise<void> {
    const scripting = (browser as { scripting?: typeof browser.scripting }).scripting;
    if (scripting) {
      await scripting.executeScript({ target: { tabId, ...(frameId !== undefined ? { frameIds: [frameId] } : { allFrames: true }) }, files: [file as never] });
      return;
    }
    // Firefox MV2.
    const legacy = browser.tabs as unknown as { executeScript(tabId: number, d: { file: string; frameId?: number; allFrames?: boolean }): Promise<unknown> };
    await legacy.executeScript(tabId, { file, ...(frameId !== undefined ? { frameId } : { allFrames: true }) });
  }

  /**
   * Whether an https origin's certificate is valid (item 7). The service worker's own request does
   * not inherit a person's "proceed anyway" on a certificate warning, so it fails exactly where the
   * page's certificate was bypassed. One HEAD request, no cookies, remembered for ten minutes.
   */
  const certificates = new Map<string, { ok: Promise<boolean>; at: number }>();
  function certificateOk(origin: string): Promise<boolean> {
    if (!origin.startsWith('https:')) return Promise.resolve(true);
    const known = certificates.get(origin);
    if (known && now() - known.at < CERT_TTL_MS) return known.ok;
    const ok = fetch(`${origin}/`, { method: 'HEAD', credentials: 'omit', cache: 'no-store', redirect: 'manual' }).then(
      () => true,
      () => false,
    );
    certificates.set(origin, { ok, at: now() });
    return ok;
  }
  const CERT_REFUSAL = "This site's certificate is not valid (a browser warning was bypassed); Latchkey does not fill it.";

  function frameOf(sender: SenderInfo): FrameInfo {
    if (sender.tabId === undefined) throw new AppError('FORBIDDEN', 'Only a page in a tab may ask for a fill.');
    return { tabId: sender.tabId, frameId: sender.frameId ?? 0, origin: sender.origin ?? 'null', url: sender.url ?? '' };
  }

  async function orderFor(entryId: string, frame: FrameInfo, form: FormReport, submit: boolean): Promise<ClaimAnswer> {
    const entry = await vault.get(entryId);
    // Checked again on the whole entry: the frame's own origin, nothing else.
    if (!entryFitsFrame(entry, frame)) return null;
    memory.set(memoryKey(frame.tabId, frame.origin), { entryId, at: now() });
    return { fill: { ...fieldsFor(form.kind, entry), submit, actionOrigin: form.actionOrigin } };
  }

  // ---- Fill on load and "Open & log in": the top frame claims when a login form appears.
  async function loadClaim(frame: FrameInfo, form: FormReport): Promise<ClaimAnswer> {
    if (frame.frameId !== 0 || frameRefusal(frame) || !isLoginKind(form.kind) || session.state() !== 'unlocked') return null;
    if (!(await certificateOk(frame.origin))) return { refused: CERT_REFUSAL };
    const index = await entries();
    const open = openIntents.get(frame.tabId);
    if (open) {
      const summary = index.matches(frame.origin).find((e) => e.id === open.entryId) ?? (await vault.get(open.entryId));
      if (!openLoginRefusal(open, frame, summary, form.kind, now())) {
        if (actionVerdict(frame.origin, form.actionOrigin, 'auto') !== 'ok') return { refused: `This form sends to ${form.actionOrigin}; Latchkey did not fill it.` };
        if (form.kind !== 'username') openIntents.delete(frame.tabId);
        return orderFor(open.entryId, frame, form, summary.autologin.autoSubmit);
      }
    }
    const matches = index.matches(frame.origin).filter((e) => entryFitsFrame(e, frame));
    const key = `${memoryKey(frame.tabId, frame.origin)} ${form.kind}`;
    let openedByPage = pageOpened.has(frame.tabId);
    if (!openedByPage) openedByPage = (await browser.tabs.get(frame.tabId).catch(() => undefined))?.openerTabId !== undefined;
    const refusal = autologinRefusal({
      frame,
      kind: form.kind,
      matches,
      openedByPage,
      referrer: form.referrer,
      redirected: redirected.has(frame.tabId),
      lastAutoFillAt: lastAutoFill.get(key),
      now: now(),
    });
    if (refusal) return null;
    if (actionVerdict(frame.origin, form.actionOrigin, 'auto') !== 'ok') return null;
    lastAutoFill.set(key, now());
    const entry = matches[0]!;
    return orderFor(entry.id, frame, form, entry.autologin.autoSubmit);
  }

  // ---- A person asked (popup, context menu, keyboard command): every frame with a form claims.
  function trigger(tabId: number, options: { source: TriggerSource; frameId?: number; entryId?: string; accepted?: string }): Promise<FillOutcome> {
    if (session.state() !== 'unlocked') throw new AppError('LOCKED', 'Unlock Latchkey to fill this page.');
    return new Promise<FillOutcome>((finish) => {
      const intent: Intent = { id: newId(), tabId, ...options, claims: [], done: false, finish };
      intents.set(intent.id, intent);
      intent.timer = setTimeout(() => void decide(intent), TRIGGER_TIMEOUT_MS);
      const command: ContentCommand = { latchkey: 1, type: 'autofill.trigger', intentId: intent.id, focusedOnly: options.source === 'command' };
      const sendIt = () => browser.tabs.sendMessage(tabId, command, options.frameId !== undefined ? { frameId: options.frameId } : undefined);
      // No frame answering at all means no frame has anything to fill: say so at once.
      const answered = (reply: unknown) => {
        if (reply === undefined && intent.claims.length === 0) void decide(intent);
      };
      sendIt().then(answered, async () => {
        // Tabs opened before Latchkey was installed or updated have no content script yet.
        await inject(tabId, options.frameId, CONTENT_SCRIPT)
          .then(() => sendIt())
          .then(answered)
          .catch(() => {});
      });
    });
  }

  function decisive(intent: Intent, c: Claim): boolean {
    if (intent.source === 'menu') return true;
    if (intent.source === 'command') return c.form.focused;
    return c.frame.frameId === 0 && isLoginKind(c.form.kind);
  }

  async function decide(intent: Intent): Promise<void> {
    if (intent.done) return;
    intent.done = true;
    clearTimeout(intent.timer);
    const order = [...intent.claims].sort((a, b) => rank(intent, a) - rank(intent, b));
    let outcome: FillOutcome = { status: 'nothing', message: 'Latchkey found no login form on this page.' };
    let chosen: Claim | undefined;
    let answer: ClaimAnswer = null;
    try {
      const index = await entries();
      for (const c of order) {
        const why = frameRefusal(c.frame);
        if (why) {
          outcome = { status: 'refused', message: why };
          continue;
        }
        if (isLoginKind(c.form.kind) && !(await certificateOk(c.frame.origin))) {
          outcome = { status: 'refused', message: CERT_REFUSAL };
          continue;
        }
        if (!isLoginKind(c.form.kind)) {
          if (c.form.kind !== 'none') outcome = { status: 'refused', message: 'This is a sign-up or change-password form: use "Generate password" instead of a login.' };
          continue;
        }
        const matches = index.matches(c.frame.origin).filter((e) => entryFitsFrame(e, c.frame));
        const remembered = rememberedEntry(memory, c.frame.tabId, c.frame.origin, now());
        const entry: EntrySummary | undefined = intent.entryId
          ? matches.find((e) => e.id === intent.entryId)
          : (matches.find((e) => e.id === remembered) ?? matches[0]);
        if (!entry) {
          outcome = { status: 'refused', message: intent.entryId ? `That entry is not for ${c.frame.origin}; Latchkey fills only the frame's own site.` : `No entry matches ${c.frame.origin}.` };
          continue;
        }
        const verdict = actionVerdict(c.frame.origin, c.form.actionOrigin, 'click', intent.accepted);
        if (verdict !== 'ok') {
          const what = c.form.kind === 'username' ? 'your username' : 'your password';
          outcome = { status: 'confirm', actionOrigin: c.form.actionOrigin, entryId: entry.id, message: `This form sends ${what} to ${c.form.actionOrigin}, not to ${c.frame.origin}. Fill only if you trust that address.` };
          break;
        }
        answer = await orderFor(entry.id, c.frame, c.form, false);
        if (answer) {
          chosen = c;
          outcome = { status: 'filled', entryId: entry.id, message: 'Filled.' };
          break;
        }
      }
    } catch (e) {
      outcome = { status: 'refused', message: e instanceof AppError ? e.message : 'Latchkey could not fill this page.' };
    }
    for (const c of intent.claims) c.answer(c === chosen ? answer : null);
    if (!chosen) {
      intents.delete(intent.id);
      intent.finish(outcome);
      return;
    }
    // Wait for the frame to say whether the fill really happened (fields are re-checked there).
    intent.chosen = chosen.frame;
    intent.entryId = outcome.entryId;
    intent.timer = setTimeout(() => settle(intent, 'filled'), TRIGGER_TIMEOUT_MS);
  }

  function settle(intent: Intent, result: string) {
    if (!intents.delete(intent.id)) return;
    clearTimeout(intent.timer);
    intent.finish(result === 'filled' ? { status: 'filled', entryId: intent.entryId, message: 'Filled.' } : { status: 'refused', message: result });
  }

  function rank(intent: Intent, c: Claim): number {
    const login = isLoginKind(c.form.kind) ? 0 : 1000;
    if (intent.source === 'command') return login + (c.form.focused ? 0 : 100) + c.frame.frameId;
    return login + c.frame.frameId;
  }

  router.on('autofill.claim', async ({ intentId, form }, sender) => {
    const frame = frameOf(sender);
    if (intentId === undefined) return loadClaim(frame, form);
    const intent = intents.get(intentId);
    if (!intent || intent.done || intent.tabId !== frame.tabId || (intent.frameId !== undefined && intent.frameId !== frame.frameId)) return null;
    return new Promise<ClaimAnswer>((answer) => {
      const claim: Claim = { frame, form, answer };
      intent.claims.push(claim);
      if (decisive(intent, claim)) void decide(intent);
      else if (intent.claims.length === 1) {
        clearTimeout(intent.timer);
        intent.timer = setTimeout(() => void decide(intent), 200);
      }
    });
  });

  router.on('autofill.result', ({ intentId, result }, sender) => {
    const intent = intents.get(intentId);
    if (!intent?.chosen || intent.chosen.tabId !== sender.tabId || intent.chosen.frameId !== sender.frameId) return;
    settle(intent, result);
  });

  router.on('autofill.loadCore', async (_req, sender) => {
    const frame = frameOf(sender);
    if (frameRefusal(frame)) return;
    void certificateOk(frame.origin);
    await inject(frame.tabId, frame.frameId, CORE_SCRIPT);
  });

  router.on('autofill.submitted', async ({ username, password }, sender) => {
    const frame = frameOf(sender);
    if (frameRefusal(frame)) return;
    await offers.submitted(frame.tabId, frame.origin, username, password);
  });

  async function activeTabId(): Promise<number> {
    const [tab] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
    if (tab?.id === undefined) throw new AppError('NOT_FOUND', 'There is no page to fill. Open the site first.');
    return tab.id;
  }

  router.on('autofill.fill', async ({ entryId, tabId, allowActionOrigin }) =>
    trigger(tabId ?? (await activeTabId()), { source: 'popup', entryId, accepted: allowActionOrigin }),
  );

  router.on('autofill.openAndLogin', async ({ entryId }) => {
    const entry = await vault.get(entryId);
    const url = entry.urls.map((u) => placeOfSaved(u) && (/^https?:\/\//i.test(u.trim()) ? u.trim() : `https://${u.trim()}`)).find(Boolean);
    if (!url) throw new AppError('BAD_INPUT', 'This entry has no web address to open. Add one and try again.', { subject: entryId });
    const tab = await browser.tabs.create({ url, active: true });
    if (tab.id === undefined) throw new AppError('INTERNAL', 'The browser did not open a tab. Try again.');
    openIntents.set(tab.id, { tabId: tab.id, entryId, expiresAt: now() + OPEN_WINDOW_MS });
    return { tabId: tab.id };
  });

  router.on('autofill.saveOffer', async ({ tabId }) => offers.current(tabId ?? (await activeTabId())));
  router.on('autofill.answerSaveOffer', ({ offerId, action, entryId }) => offers.answer(offerId, action, entryId));

  return {
    trigger,
    /** Entries for a page URL, best first (for the context menu). Empty when locked. */
    async matches(url: string): Promise<EntrySummary[]> {
      if (session.state() !== 'unlocked') return [];
      return (await entries()).matches(url);
    },
    /** A generated password was put into a page: keep it as a save offer so it is never lost. */
    generated(tabId: number, origin: string, password: string) {
      return offers.submitted(tabId, origin, '', password);
    },
  };
}

export type AutofillService = ReturnType<typeof createAutofillService>;
