// The always-injected part of autologin: small and cheap. It looks for anything that could be a
// login field (shadow roots included) and only then asks the background to inject the core
// (detection, filling, save offers). It answers the extension's own messages only; nothing the
// page sends (postMessage, custom events) reaches it.
import type { ContentCommand } from '../messages/autofill-protocol';
import { attr, collect, shadowOf } from './dom';
import { coreOf, lookIntoShadows, looksIntoShadows, runtime, send, type Core } from './runtime';

/** Attributes that make a text field worth a closer look. */
const HINT = /user|login|logon|sign|mail|account|ident|phone|mobile|member|cust|pass|pwd|benutzer|usuario|utilisateur|courriel|логин|почт|ユーザ|メール|아이디|账号|用户|邮箱|手机/i;
/** A quiet page is checked at once; one that keeps mutating less and less often, up to every 3 s. */
const CHECK_MAX_MS = 3_000;
const BUSY_MS = 250;

/**
 * Whether the frame has a password field, or a text field named like a username. When a person
 * asked (any = true), any text field will do: "u" and "p" may be the login.
 */
export function hasCandidate(doc: Document, any = false, deep = false): boolean {
  // The light DOM first: a live collection, no walk.
  if (candidateIn(doc.getElementsByTagName('input'), any)) return true;
  return deep && candidateIn(collect(doc).inputs, any);
}

function candidateIn(inputs: ArrayLike<HTMLInputElement>, any: boolean): boolean {
  for (let i = 0; i < inputs.length && i < 5_000; i++) {
    const el = inputs[i]!;
    const type = el.type;
    if (type === 'password' || type === 'email') return true;
    if ((type === 'text' || type === 'tel') && (any || HINT.test(`${attr(el, 'name')} ${attr(el, 'id')} ${attr(el, 'autocomplete')} ${attr(el, 'placeholder')}`))) return true;
  }
  return false;
}

/** Set once per frame (the extension's isolated world): a second run only starts listening. */
const SENTINEL_KEY = '__latchkeySentinel';

/**
 * On a page without login fields this costs two event listeners at document_start and one look at
 * the inputs at DOMContentLoaded. The extension's APIs (chrome.runtime) are not touched until the
 * frame has an input or shadow roots: instantiating them was the largest part of this script's
 * cost on pages without forms, and a frame without any input has nothing a person could ask to
 * fill. When the background's command finds no frame listening, it injects this script again
 * (intents' send), and that second run listens at once (shadow-only or odd pages still get asked).
 *
 * Fields inside shadow roots (closed ones included) are looked for once a person focuses one: the
 * focus event reaches the document retargeted to the root's host. A page script that creates roots
 * is not hooked: a script in the page's world at document_start cost as much again as this one.
 */
export function startSentinel(): void {
  const g = globalThis as Record<string, unknown>;
  const again = g[SENTINEL_KEY] as (() => void) | undefined;
  if (again) return again();

  let loading: Promise<Core | undefined> | undefined;
  let lastContextTarget: Element | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let interval = 0;
  let lastCheck = -Infinity;
  let started = false;
  let listening = false;

  const ensureCore = () => (loading ??= coreOf() ? Promise.resolve(coreOf()) : send('autofill.loadCore', undefined).then(() => coreOf()));

  const startCore = () => {
    if (started) return;
    started = true;
    observer?.disconnect();
    void ensureCore().then((core) => core?.start());
  };

  const check = () => {
    timer = undefined;
    const t0 = performance.now();
    const busy = t0 - lastCheck < BUSY_MS;
    lastCheck = t0;
    const shadows = looksIntoShadows();
    if (hasCandidate(document, false, shadows)) {
      listen();
      return startCore();
    }
    // Something a person might ask to fill ("u" and "p" fields, roots the light DOM does not show).
    if (shadows || document.getElementsByTagName('input').length > 0) listen();
    const cost = performance.now() - t0;
    interval = busy ? Math.min(CHECK_MAX_MS, Math.max(16, interval * 2, cost * 50)) : Math.max(0, cost * 50);
  };
  const schedule = () => {
    if (!started && timer === undefined) timer = setTimeout(check, interval);
  };
  let observer: MutationObserver | undefined;
  // A person focused something inside a shadow root: from now on, checks look inside them too.
  document.addEventListener(
    'focusin',
    (e) => {
      const host = e.target as Element | null;
      if (!e.isTrusted || looksIntoShadows() || !host || host.tagName === 'INPUT' || !shadowOf(host)) return;
      lookIntoShadows();
      if (!started) schedule();
    },
    true,
  );
  const begin = () => {
    observer = new MutationObserver(schedule);
    observer.observe(document, { childList: true, subtree: true });
    check();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', begin, { once: true });
  else begin();

  // sendResponse and `return true` (not a returned promise): what every Chrome and Firefox honour.
  function listen(): void {
    if (listening) return;
    listening = true;
    // Remember what the person right-clicked (trusted events only) for "Generate password".
    document.addEventListener(
      'contextmenu',
      (e) => {
        if (e.isTrusted) lastContextTarget = (e.composedPath()[0] as Element) ?? null;
      },
      true,
    );
    runtime().onMessage.addListener((message, sender, sendResponse) => {
      // Only the background (no tab) of this extension.
      if (sender.id !== runtime().id || sender.tab) return undefined;
      const m = message as ContentCommand;
      if (!m || m.latchkey !== 1) return undefined;
      let reply: Promise<unknown>;
      if (m.type === 'autofill.trigger') {
        if ((m.focusedOnly && !document.hasFocus()) || !hasCandidate(document, true, true)) return undefined;
        startCore();
        reply = ensureCore().then(async (core) => ({ result: core ? await core.trigger(m.intentId) : 'nothing' }));
      } else if (m.type === 'autofill.generated') {
        reply = ensureCore().then((core) => {
          core?.generated(m.password, lastContextTarget);
          return { result: 'filled' };
        });
      } else return undefined;
      reply.then(sendResponse, () => sendResponse({ result: 'failed' }));
      return true;
    });
  }
  g[SENTINEL_KEY] = listen;
}
