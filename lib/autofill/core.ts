// The lazily injected core of autologin: watches for login forms, claims a fill from the background
// when one appears (top frame) or when the person asked (popup, menu, key), fills exactly what the
// background answered, and reports logins a person typed and submitted.
import type { ClaimAnswer, FillOrder, FormReport, ReadyFill } from '../messages/autofill-protocol';
import { actionOrigin, attr, isVisible, shadowOf } from './dom';
import { fieldsFor, isFillKind, isLoginKind } from './kinds';
import { fillRefusal, guardAction, sameField, seenInFrame, setValue, snapshotOf, submitForm, type Snapshot } from './fill';
import { framesUncovered } from './occlusion';
import { CORE_KEY, send, looksIntoShadows, type Core } from './runtime';
import { detect, type Detection } from './scan';

/** A quiet page is scanned at once; under a mutation flood scans back off, up to one per 2 s. */
const MAX_SCAN_MS = 2_000;
const BUSY_MS = 250;
const MAX_LOAD_CLAIMS = 20;
const SETTLE_RESCANS_MS = [100, 300, 1_000, 3_000];
/** A ready fill on load that no login form used is dropped after this long. */
const READY_MS = 10_000;
const WATCHED = { childList: true, subtree: true, attributes: true, attributeFilter: ['type', 'style', 'class', 'hidden', 'open'] };

/** Installs the core once per frame and starts watching (the background may inject it first). */
export function installCore(): void {
  const g = globalThis as Record<string, unknown>;
  if (g[CORE_KEY]) return;
  const core = createCore();
  g[CORE_KEY] = core;
  core.start();
}

function createCore(): Core {
  const top = window === window.top;
  let started = false;
  let lastSignature = '';
  let loadClaims = 0;
  let scanTimer: ReturnType<typeof setTimeout> | undefined;
  let interval = 0;
  let lastScan = -Infinity;
  let lastReport = '';
  const observed = new WeakSet<Node>();
  // Fill on load handed over as the document started (top frame only): settles once, holds at
  // most one fill, and is dropped at the first login form or after READY_MS.
  let ready: Promise<'held' | 'claim' | 'none'> | undefined;
  let readyFill: ReadyFill | undefined;

  const report = (d: Detection): FormReport => ({
    kind: d.kind,
    actionOrigin: actionOrigin(d.form, d.submit),
    focused: document.hasFocus(),
    referrer: referrerOrigin(),
  });

  async function claim(intentId: string | undefined, d: Detection): Promise<string> {
    const snapshot = snapshotOf(d);
    const reply = await send('autofill.claim', { intentId, form: report(d) });
    if (!reply.ok) return reply.message;
    const answer: ClaimAnswer = reply.value;
    if (!answer || 'refused' in answer) return answer ? answer.refused : 'nothing';
    const result = await fill(snapshot, answer.fill);
    if (intentId !== undefined) void send('autofill.result', { intentId, result });
    return result;
  }

  async function fill(s: Snapshot, order: FillOrder): Promise<string> {
    const refusal = fillRefusal(s, order);
    if (refusal) return refusal;
    const target = s.password?.el ?? s.username?.el ?? s.code?.el;
    if (target && !top) {
      target.scrollIntoView({ block: 'nearest' });
      // IntersectionObserver v2 is a hint that errs (a button whose box starts at the field's bottom
      // edge counts as covering it): where the frames up to the top are of this origin, a hit test
      // at the field's centre in each of them may overrule it; elsewhere it is the verdict.
      if (!(await seenInFrame(target)) && framesUncovered(target) !== true) return 'frameCovered';
      // Waiting gave the page time to swap things: check again.
      const again = fillRefusal(s, order);
      if (again) return again;
    }
    if (order.username !== undefined && s.username) setValue(s.username.el, order.username);
    if (order.password !== undefined && s.password) {
      // The page saw the username arrive and could have swapped the password field since: only the
      // element detected at the person's action (or the page's load), with the type and name it had.
      if (!sameField(s.password) || !isVisible(s.password.el)) return 'passwordChanged';
      setValue(s.password.el, order.password);
      guardAction(s, order.actionOrigin, s.password.el);
    }
    // A one-time code only into the code field detected, still as it was and still shown.
    if (order.code !== undefined && s.code) {
      if (!sameField(s.code) || !isVisible(s.code.el)) return 'fieldChanged';
      setValue(s.code.el, order.code);
    }
    if (order.submit && target) {
      setTimeout(() => {
        if (actionOrigin(s.detection.form, s.detection.submit) === order.actionOrigin) submitForm(s.detection, target);
      }, 50);
    }
    return 'filled';
  }

  function scan(): void {
    scanTimer = undefined;
    const t0 = performance.now();
    const busy = t0 - lastScan < BUSY_MS;
    lastScan = t0;
    const d = look();
    // A page that is slow to scan, or keeps changing, is scanned less often.
    const cost = performance.now() - t0;
    interval = busy ? Math.min(MAX_SCAN_MS, Math.max(16, interval * 2, cost * 20)) : cost * 20;
    if (d) act(d);
  }

  /** A look that does not count as the page changing (the settle rescans): no pacing. */
  function rescan(): void {
    if (scanTimer !== undefined) return;
    const d = look();
    if (d) act(d);
  }

  function look(): Detection | undefined {
    let d: Detection;
    try {
      d = detect(document, looksIntoShadows());
    } catch {
      return undefined;
    }
    for (const r of d.roots) {
      if (observed.has(r)) continue;
      observed.add(r);
      observer.observe(r, WATCHED);
    }
    return d;
  }

  function act(d: Detection): void {
    if (!top || !isFillKind(d.kind)) {
      lastSignature = '';
      return;
    }
    // A new login form (or the next step of one) is a chance for "Open & log in" or fill on load.
    const signature = `${d.kind}|${d.username?.name ?? ''}#${d.username?.id ?? ''}|${d.password?.name ?? ''}#${d.password?.id ?? ''}|${d.code?.name ?? ''}#${d.code?.id ?? ''}`;
    if (signature === lastSignature || loadClaims >= MAX_LOAD_CLAIMS) return;
    lastSignature = signature;
    loadClaims++;
    if (ready) {
      const answered = ready;
      ready = undefined;
      const snapshot = snapshotOf(d);
      void answered.then((status) => {
        const r = readyFill;
        readyFill = undefined;
        // The ready fill never holds a one-time code (it is made when the step asks for it): claim one.
        if (d.kind === 'otp') return void claim(undefined, d);
        if (status === 'none') return;
        // Where the page is not handed a fill (or it was dropped unused), claim with the form.
        if (!r) return void claim(undefined, d);
        const kind = d.kind;
        // The background checked the page; the form is ours to check: its kind, where it sends.
        if (!isLoginKind(kind) || !r.kinds.includes(kind) || snapshot.actionOrigin !== location.origin) return;
        const order: FillOrder = { ...fieldsFor(kind, r), submit: r.submit, actionOrigin: location.origin };
        void fill(snapshot, order).then((result) => {
          if (result === 'filled') void send('autofill.readyUsed', { kind });
        });
      });
      return;
    }
    void claim(undefined, d);
  }

  const schedule = () => {
    if (scanTimer === undefined) scanTimer = setTimeout(scan, Math.max(0, Math.min(interval, lastScan + interval - performance.now())));
  };
  const observer = new MutationObserver(schedule);

  // Offer to save what a person typed: only on their own (trusted) submit, click or Enter.
  const capture = (e: Event) => {
    if (!e.isTrusted) return;
    if (e.type === 'keydown' && (e as KeyboardEvent).key !== 'Enter') return;
    if (e.type === 'click' && !e.composedPath().slice(0, 6).some(isButton)) return;
    // Read now, before the page's own handlers clear the fields.
    reportSubmitted();
  };

  function reportSubmitted() {
    let d: Detection;
    try {
      d = detect(document, looksIntoShadows());
    } catch {
      return;
    }
    const password = d.kind === 'signup' || d.kind === 'change-password' ? d.newPasswords[0] : d.password;
    if (!password?.value || !(d.kind === 'login' || d.kind === 'password' || d.kind === 'signup' || d.kind === 'change-password')) return;
    const username = d.username?.value ?? '';
    const key = `${username}\u0000${password.value}`;
    if (key === lastReport) return;
    lastReport = key;
    void send('autofill.submitted', { kind: d.kind, username, password: password.value });
  }

  return {
    start() {
      if (started) return;
      started = true;
      if (top) {
        ready = send('autofill.ready', { referrer: referrerOrigin() }).then((reply) => {
          if (!reply.ok || reply.value === 'claim') return 'claim';
          if (!reply.value) return 'none';
          readyFill = reply.value;
          setTimeout(() => (readyFill = undefined), READY_MS);
          return 'held';
        });
      }
      for (const type of ['submit', 'click', 'keydown']) document.addEventListener(type, capture, true);
      // Injected ahead of the page (fill on load, "Open & log in"): scan once the document is
      // parsed and its own scripts have run, so that they see the fill, instead of rescanning
      // while the parser adds every element.
      const begin = () => {
        observer.observe(document, WATCHED);
        scan();
        // A shadow root attached later (a custom element upgraded when its script runs) changes
        // nothing an observer of the document sees: where scans look into roots, look again a few
        // times while the page settles.
        if (looksIntoShadows()) {
          const late = () => lastSignature === '' && rescan();
          for (const ms of SETTLE_RESCANS_MS) setTimeout(late, ms);
          addEventListener('load', late, { once: true });
        }
      };
      if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', begin, { once: true });
      else begin();
    },

    async trigger(intentId) {
      const d = detect(document);
      if (d.kind === 'none') return 'nothing';
      return claim(intentId, d);
    },

    generated(password, target) {
      const d = detect(document);
      const fields = d.newPasswords.length ? d.newPasswords : d.password ? [d.password] : [];
      const input = target?.tagName === 'INPUT' ? (target as HTMLInputElement) : deepFocus();
      // The field right-clicked, and the confirm field of its form.
      const chosen = input && fields.includes(input) ? fields : input && input.type === 'password' && isVisible(input) ? [input] : [];
      for (const f of chosen) setValue(f, password);
    },
  };
}

/** The focused input, looking through shadow roots (a right-click focuses the field). */
function deepFocus(): HTMLInputElement | null {
  let el = document.activeElement;
  for (let i = 0; el && i < 20; i++) {
    const inner = shadowOf(el)?.activeElement;
    if (!inner) break;
    el = inner;
  }
  return el?.tagName === 'INPUT' ? (el as HTMLInputElement) : null;
}

function isButton(n: EventTarget): boolean {
  const el = n as Element;
  if (!el.tagName) return false;
  if (el.tagName === 'BUTTON' || el.tagName === 'A') return true;
  if (el.tagName === 'INPUT') return /submit|button|image/.test((el as HTMLInputElement).type);
  return attr(el, 'role') === 'button';
}

function referrerOrigin(): string {
  try {
    return document.referrer ? new URL(document.referrer).origin : '';
  } catch {
    return '';
  }
}
