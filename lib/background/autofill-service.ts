// Autologin in the background: answers content scripts only for their own frame's origin, holds
// every policy decision (lib/autofill/policy.ts), and hands a frame at most one fill's credentials.
import type { WxtBrowser as Browser } from 'wxt/browser';
import { AppError } from '../errors';
import type { ClaimAnswer, ContentCommand, FillOutcome, FormReport, ReadyFill } from '../messages/autofill-protocol';
import type { MessageRouter, SenderInfo } from '../messages/router';
import type { EntrySummary } from '../model/entry';
import { CERT_REFUSAL, createCertificateCheck } from '../autofill/certificates';
import { createEntryIndex, type EntryIndex } from '../autofill/entry-index';
import { createIntents, type TriggerSource } from '../autofill/intents';
import { LOGIN_KINDS } from '../autofill/kinds';
import { placeOfSaved } from '../autofill/match';
import {
  actionVerdict,
  autologinRefusal,
  entryFitsFrame,
  fieldsFor,
  frameRefusal,
  isFillKind,
  memoryKey,
  openLoginRefusal,
  rememberedEntry,
  OPEN_WINDOW_MS,
  type FrameInfo,
  type OpenIntent,
  type StepMemory,
} from '../autofill/policy';
import { createSaveOffers, sessionOfferStore } from '../autofill/save-offers';
import { createCoreRegistration, type ScriptingLike } from './core-registration';
import { toolbarButton } from './toolbar';
import type { SessionService, VaultService } from './types';
import { isWebAddress } from '../model/address';
import { t } from '../i18n';
import { totpCode } from '../totp';

export type { TriggerSource };

export interface AutofillDeps {
  router: MessageRouter;
  vault: VaultService;
  session: SessionService;
  browser: Browser;
  now?: () => number;
  /**
   * Puts an entry's current one-time code on the clipboard (cleared after a while) once "Open &
   * log in" filled its login, so that it can be pasted on the next step.
   */
  copyCode?: (code: string) => Promise<void>;
}

const CONTENT_SCRIPT = '/autologin.js';
const CORE_SCRIPT = '/autologin-core.js';
const DEEP_SCRIPT = '/autologin-deep.js';
const REGISTRATION_DELAY_MS = 200;
/** How long a ready fill waits for the browser to report its document's navigation. */
const COMMIT_WAIT_MS = 1_000;
const newId = () => crypto.randomUUID();
const SIGNUP_REFUSAL = t('autofillRefusedSignup');

export function createAutofillService(deps: AutofillDeps) {
  const { router, vault, session, browser } = deps;
  const now = deps.now ?? (() => Date.now());
  let index: EntryIndex | undefined;
  const openIntents = new Map<number, OpenIntent>();
  const memory = new Map<string, StepMemory>();
  const lastAutoFill = new Map<string, number>();
  const pageOpened = new Set<number>();
  const redirected = new Set<number>();
  /** The document each tab's top frame last committed (documentId: Chrome 106+, Firefox), and who waits for it. */
  const committed = new Map<number, string>();
  const commitWaiters = new Set<() => void>();
  /** The ready fill handed to a tab's top document, until it is used or the tab moves on. */
  const readyFills = new Map<number, { documentId: string; origin: string; entryId: string }>();
  // fetch is looked up at call time, so tests can stub it.
  const certificateOk = createCertificateCheck({ now, fetch: (...args) => fetch(...args) });

  const offers = createSaveOffers({
    matches: async (origin) => (await entries()).matches(origin),
    get: (id) => vault.get(id),
    save: (input) => vault.save(input),
    badge: (tabId, offer) => {
      const button = toolbarButton(browser);
      void button.setBadgeText({ tabId, text: offer ? '+' : '' }).catch(() => {});
      void button.setTitle({ tabId, title: offer ? t(offer.action === 'update' ? 'toolbarOfferUpdate' : 'toolbarOfferSave', offer.origin) : 'Latchkey' }).catch(() => {});
    },
    now,
    newId,
    // Pending offers outlive a service-worker restart (storage.session: memory only, wiped on lock).
    store: browser.storage?.session ? sessionOfferStore(browser.storage.session) : undefined,
  });

  async function entries(): Promise<EntryIndex> {
    index ??= createEntryIndex(await vault.summaries());
    return index;
  }

  // The browser runs the core at document_start on the sites of entries with autologin on.
  const scripting = (browser as { scripting?: ScriptingLike }).scripting;
  const registration = createCoreRegistration(scripting?.registerContentScripts ? scripting : undefined, [DEEP_SCRIPT.slice(1), CORE_SCRIPT.slice(1)]);
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  const refreshRegistration = () => {
    clearTimeout(refreshTimer);
    // Changes come in bursts (an import, the background pass after unlock): follow the last one.
    refreshTimer = setTimeout(() => {
      if (session.state() !== 'unlocked') return;
      void entries()
        .then((i) => (session.state() === 'unlocked' ? registration.set(i.autologinPatterns) : undefined))
        .catch(() => {});
    }, REGISTRATION_DELAY_MS);
  };
  session.onUnlock(refreshRegistration);
  vault.onChange(() => {
    index = undefined;
    refreshRegistration();
  });
  session.onLock(() => {
    clearTimeout(refreshTimer);
    void registration.set([]);
    index = undefined;
    memory.clear();
    void offers.clear();
  });

  /**
   * Runs our scripts, in order, in a tab's frame (all frames when frameId is undefined), in the
   * extension's world, at once: by default the browser holds an injection until the document is
   * idle (after load), which put tens of milliseconds between a login form appearing and the core
   * that fills it. The scripts wait for the document to be parsed themselves.
   */
  async function inject(tabId: number, frameId: number | undefined, ...files: string[]): Promise<void> {
    const scripting = (browser as { scripting?: typeof browser.scripting }).scripting;
    if (scripting) {
      await scripting.executeScript({ target: { tabId, ...(frameId !== undefined ? { frameIds: [frameId] } : { allFrames: true }) }, files: files as never[], injectImmediately: true });
      return;
    }
    // Firefox MV2.
    const legacy = browser.tabs as unknown as { executeScript(tabId: number, d: { file: string; frameId?: number; allFrames?: boolean; runAt?: string }): Promise<unknown> };
    for (const file of files) await legacy.executeScript(tabId, { file, runAt: 'document_start', ...(frameId !== undefined ? { frameId } : { allFrames: true }) });
  }

  /** Whether a page opened the tab (its opener), asked once per document: it cannot change. */
  const openers = new Map<number, Promise<boolean>>();
  const openerOf = (tabId: number) => browser.tabs.get(tabId).then((t) => t.openerTabId !== undefined, () => false);

  /**
   * Where a fill on load or "Open & log in" may happen, have everything ready before the form
   * shows: the core injected as the document commits, the certificate checked, the tab's opener
   * known. Nothing is filled here; the claim decides, with every check, when the form is there.
   */
  async function prepare(tabId: number, url: string): Promise<void> {
    if (session.state() !== 'unlocked') return;
    const wanted = openIntents.has(tabId) || (url.startsWith('https:') && (await entries()).matches(url).some((e) => e.autologin.enabled));
    if (!wanted) return;
    openers.set(tabId, openerOf(tabId));
    void certificateOk(new URL(url).origin);
    // Already run by the browser where the registration covers the page; otherwise injected now.
    // The core's scans look into shadow roots here from the start (see runtime.ts looksIntoShadows).
    if (!registration.covers(url)) await inject(tabId, 0, DEEP_SCRIPT, CORE_SCRIPT);
  }

  const nav = (browser as { webNavigation?: typeof browser.webNavigation }).webNavigation;
  browser.tabs.onCreated.addListener((tab) => {
    if (tab.id !== undefined && tab.openerTabId !== undefined) pageOpened.add(tab.id);
  });
  browser.tabs.onRemoved.addListener((tabId) => {
    pageOpened.delete(tabId);
    redirected.delete(tabId);
    committed.delete(tabId);
    readyFills.delete(tabId);
    openers.delete(tabId);
    openIntents.delete(tabId);
    void offers.forget(tabId);
    for (const key of [...memory.keys()]) if (key.startsWith(`${tabId} `)) memory.delete(key);
  });
  browser.tabs.onUpdated.addListener((tabId, change, tab) => {
    // The browser clears a tab's badge when it navigates.
    if (change.status === 'loading' || change.status === 'complete') void offers.rebadge(tabId);
    // Without webNavigation (it is in the manifest; kept for safety), prepare when the page is loaded.
    if (!nav && change.status === 'complete' && tab.url) void prepare(tabId, tab.url).catch(() => {});
  });
  // webNavigation tells redirects (server, or script and meta refresh) apart from navigations the
  // person made, and names every tab a page opened, with or without an opener (SECURITY.md 3).
  nav?.onCommitted.addListener((d) => {
    if (d.frameId !== 0) return;
    if (d.transitionQualifiers?.some((q) => q === 'client_redirect' || q === 'server_redirect')) redirected.add(d.tabId);
    else redirected.delete(d.tabId);
    openers.delete(d.tabId);
    readyFills.delete(d.tabId);
    // '' where the browser does not name documents: nothing to wait for.
    committed.set(d.tabId, (d as { documentId?: string }).documentId ?? '');
    for (const wake of [...commitWaiters]) wake();
    void prepare(d.tabId, d.url).catch(() => {});
  });

  nav?.onCreatedNavigationTarget.addListener((d) => pageOpened.add(d.tabId));

  /**
   * Whether the browser has reported the navigation that made this document (so that what it
   * said about redirects and openers is known). A document's first message can arrive first.
   */
  function navigationKnown(tabId: number, documentId: string): Promise<boolean> {
    if (committed.get(tabId) === documentId) return Promise.resolve(true);
    if (committed.get(tabId) === '') return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (known: boolean) => {
        clearTimeout(timer);
        commitWaiters.delete(wake);
        resolve(known);
      };
      const wake = () => {
        const c = committed.get(tabId);
        if (c === documentId || c === '') done(c === documentId);
      };
      const timer = setTimeout(() => done(false), COMMIT_WAIT_MS);
      commitWaiters.add(wake);
    });
  }

  function frameOf(sender: SenderInfo): FrameInfo {
    if (sender.tabId === undefined) throw new AppError('FORBIDDEN', t('errorFillNotFromTab'));
    return { tabId: sender.tabId, frameId: sender.frameId ?? 0, origin: sender.origin ?? 'null', url: sender.url ?? '' };
  }

  /**
   * The one fill for a frame. The whole entry is checked again against the frame's own origin. A
   * one-time-code step gets the entry's current code, made here: the secret never leaves the background.
   */
  async function orderFor(entryId: string, frame: FrameInfo, form: FormReport, submit: boolean): Promise<ClaimAnswer> {
    const entry = await vault.get(entryId);
    if (!entryFitsFrame(entry, frame)) return null;
    memory.set(memoryKey(frame.tabId, frame.origin), { entryId, at: now() });
    if (form.kind === 'otp') {
      if (!entry.totp) return { refused: t('autofillNoTotp', entry.title) };
      return { fill: { code: totpCode(entry.totp, now()).code, submit, actionOrigin: form.actionOrigin } };
    }
    return { fill: { ...fieldsFor(form.kind, entry), submit, actionOrigin: form.actionOrigin } };
  }

  const intents = createIntents({
    async entryFor(entryId, frame, form) {
      const refusal = frameRefusal(frame);
      if (refusal) return { why: { status: 'refused', message: refusal } };
      if (!isFillKind(form.kind)) return form.kind === 'none' ? {} : { why: { status: 'refused', message: SIGNUP_REFUSAL } };
      const matches = (await entries()).matches(frame.origin).filter((e) => entryFitsFrame(e, frame));
      const remembered = rememberedEntry(memory, frame.tabId, frame.origin, now());
      const entry: EntrySummary | undefined = entryId ? matches.find((e) => e.id === entryId) : (matches.find((e) => e.id === remembered) ?? matches[0]);
      if (entry) return { entry };
      const message = entryId ? t('autofillRefusedOtherSite', frame.origin) : t('autofillRefusedNoMatch', frame.origin);
      return { why: { status: 'refused', message } };
    },
    certificateOk,
    async orderFor(entryId, frame, form) {
      const answer = await orderFor(entryId, frame, form, false);
      // The intents answer a refusal as "nothing to fill here": say why instead.
      if (answer && 'refused' in answer) throw new AppError('NOT_FOUND', answer.refused);
      return answer;
    },
    async send(tabId, command: ContentCommand, frameId) {
      const sendIt = () => browser.tabs.sendMessage(tabId, command, frameId !== undefined ? { frameId } : undefined);
      // Tabs opened before Latchkey was installed or updated have no content script yet.
      return sendIt().catch(() => inject(tabId, frameId, CONTENT_SCRIPT).then(sendIt));
    },
    newId,
  });

  function trigger(tabId: number, options: { source: TriggerSource; frameId?: number; entryId?: string; accepted?: string }): Promise<FillOutcome> {
    if (session.state() !== 'unlocked') return Promise.reject(new AppError('LOCKED', t('errorFillLocked')));
    return intents.trigger(tabId, options);
  }

  /** The fill-on-load cooldown is per tab, origin and kind of form. */
  const cooldownKey = (frame: FrameInfo, kind: string) => `${memoryKey(frame.tabId, frame.origin)} ${kind}`;

  /** SECURITY.md 3 for this page load and kind of form (the claim and the ready fill ask the same). */
  const onLoadRefusal = (frame: FrameInfo, kind: FormReport['kind'], matches: EntrySummary[], openedByPage: boolean, referrer: string) =>
    autologinRefusal({
      frame,
      kind,
      matches,
      openedByPage,
      referrer,
      redirected: redirected.has(frame.tabId),
      lastAutoFillAt: lastAutoFill.get(cooldownKey(frame, kind)),
      now: now(),
    });

  // Fill on load and "Open & log in": the top frame claims when a login form appears.
  async function loadClaim(frame: FrameInfo, form: FormReport): Promise<ClaimAnswer> {
    if (frame.frameId !== 0 || frameRefusal(frame) || !isFillKind(form.kind) || session.state() !== 'unlocked') return null;
    // Asked together; prepare() usually asked them as the document committed.
    const opener = openers.get(frame.tabId) ?? openerOf(frame.tabId);
    const [certOk, index] = await Promise.all([certificateOk(frame.origin), entries()]);
    if (!certOk) return { refused: CERT_REFUSAL };
    const open = openIntents.get(frame.tabId);
    if (open) {
      const summary = index.matches(frame.origin).find((e) => e.id === open.entryId) ?? (await vault.get(open.entryId));
      if (!openLoginRefusal(open, frame, summary, form.kind, now())) {
        if (actionVerdict(frame.origin, form.actionOrigin, 'auto') !== 'ok') return { refused: t('autofillRefusedFormElsewhere', form.actionOrigin) };
        const answer = await orderFor(open.entryId, frame, form, summary.autologin.autoSubmit);
        if (answer && 'fill' in answer) await afterOpenFill(open, form);
        return answer;
      }
    }
    const matches = index.matches(frame.origin).filter((e) => entryFitsFrame(e, frame));
    const openedByPage = pageOpened.has(frame.tabId) || (await opener);
    const refusal = onLoadRefusal(frame, form.kind, matches, openedByPage, form.referrer);
    if (refusal || actionVerdict(frame.origin, form.actionOrigin, 'auto') !== 'ok') return null;
    lastAutoFill.set(cooldownKey(frame, form.kind), now());
    const entry = matches[0]!;
    return orderFor(entry.id, frame, form, entry.autologin.autoSubmit);
  }

  /**
   * "Open & log in" stays open past a username step for the password, and past the password for
   * the entry's one-time code (then for nothing else), and puts the code on the clipboard too.
   */
  async function afterOpenFill(open: OpenIntent, form: FormReport): Promise<void> {
    if (form.kind === 'username') return;
    const entry = form.kind === 'otp' ? undefined : await vault.get(open.entryId).catch(() => undefined);
    if (!entry?.totp) return void openIntents.delete(open.tabId);
    open.codeOnly = true;
    // Not awaited: the fill does not wait for the clipboard.
    void deps.copyCode?.(totpCode(entry.totp, now()).code).catch(() => {});
  }

  router.on('autofill.claim', ({ intentId, form }, sender) => {
    const frame = frameOf(sender);
    return intentId === undefined ? loadClaim(frame, form) : intents.claim(intentId, frame, form);
  });

  /**
   * Fill on load, handed over as the document starts so that the fill does not wait for a round
   * trip once the form is there. Every check that does not depend on the form is made here, as
   * for a claim; the core checks the form's kind and destination against this answer, and
   * visibility, exactly as it does before any fill. Only where the browser names the document
   * (documentId, in Chrome and Firefox), so that redirects and openers are known for this very
   * page load; elsewhere, and for "Open & log in", the answer is 'claim': the core claims when the
   * form appears. null: no fill on load for this page (the core does not ask again for its first form).
   */
  router.on('autofill.ready', async ({ referrer }, sender): Promise<ReadyFill | 'claim' | null> => {
    const frame = frameOf(sender);
    const documentId = sender.documentId;
    if (frame.frameId !== 0 || frameRefusal(frame) || session.state() !== 'unlocked') return null;
    if (!documentId || openIntents.has(frame.tabId) || !(await navigationKnown(frame.tabId, documentId))) return 'claim';
    const opener = openers.get(frame.tabId) ?? openerOf(frame.tabId);
    const [certOk, index] = await Promise.all([certificateOk(frame.origin), entries()]);
    if (!certOk || session.state() !== 'unlocked') return null;
    const matches = index.matches(frame.origin).filter((e) => entryFitsFrame(e, frame));
    const openedByPage = pageOpened.has(frame.tabId) || (await opener);
    const kinds = LOGIN_KINDS.filter((kind) => !onLoadRefusal(frame, kind, matches, openedByPage, referrer));
    if (kinds.length === 0) return null;
    const entry = await vault.get(matches[0]!.id);
    // The tab may have moved on while the entry was read.
    if (!entryFitsFrame(entry, frame) || committed.get(frame.tabId) !== documentId) return null;
    readyFills.set(frame.tabId, { documentId, origin: frame.origin, entryId: entry.id });
    return { username: entry.username, password: entry.password, submit: entry.autologin.autoSubmit, kinds };
  });

  router.on('autofill.readyUsed', ({ kind }, sender) => {
    const frame = frameOf(sender);
    const ready = readyFills.get(frame.tabId);
    if (!ready || ready.documentId !== sender.documentId || ready.origin !== frame.origin || frame.frameId !== 0 || !LOGIN_KINDS.includes(kind)) return;
    readyFills.delete(frame.tabId);
    lastAutoFill.set(cooldownKey(frame, kind), now());
    memory.set(memoryKey(frame.tabId, frame.origin), { entryId: ready.entryId, at: now() });
  });

  router.on('autofill.result', ({ intentId, result }, sender) => intents.result(intentId, frameOf(sender), result));

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
    if (tab?.id === undefined) throw new AppError('NOT_FOUND', t('errorFillNoPage'));
    return tab.id;
  }

  router.on('autofill.fill', async ({ entryId, tabId, allowActionOrigin }) =>
    trigger(tabId ?? (await activeTabId()), { source: 'popup', entryId, accepted: allowActionOrigin }),
  );

  router.on('autofill.openAndLogin', async ({ entryId }) => {
    const entry = await vault.get(entryId);
    const url = entry.urls.map((u) => u.trim()).find((u) => isWebAddress(u) && placeOfSaved(u));
    if (!url) throw new AppError('BAD_INPUT', t('errorOpenNoAddress'), { subject: entryId });
    const tab = await browser.tabs.create({ url: /^https?:\/\//i.test(url) ? url : `https://${url}`, active: true });
    if (tab.id === undefined) throw new AppError('INTERNAL', t('errorTabNotOpened'));
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
