// The always-injected part of autologin: small and cheap. It looks for anything that could be a
// login field (shadow roots included) and only then asks the background to inject the core
// (detection, filling, save offers). It answers the extension's own messages only; nothing the
// page sends (postMessage, custom events) reaches it.
import type { ContentCommand } from '../messages/autofill-protocol';
import { attr, collect, shadowOf } from './dom';
import { coreOf, lookIntoShadows, looksIntoShadows, runtime, send, type Core } from './runtime';

/** Attributes that make a text field worth a closer look. */
const HINT = /user|login|logon|sign|mail|account|ident|phone|mobile|member|cust|pass|pwd|benutzer|usuario|utilisateur|courriel|логин|почт|ユーザ|メール|아이디|账号|用户|邮箱|手机/i;

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
 * Forms that appear later (single-page apps) are looked for when a person focuses a field, the
 * moment before they could type a login worth offering to save; watching every mutation of every
 * page for them cost more than the rest of this script. Where a fill on load may happen, the
 * background has the browser run the core itself, which watches the page.
 *
 * Fields inside shadow roots (closed ones included) are looked for the same way: the focus event
 * reaches the document retargeted to the root's host. A page script that creates roots is not
 * hooked: a script in the page's world at document_start cost as much again as this one.
 */
export function startSentinel(): void {
  const g = globalThis as Record<string, unknown>;
  const again = g[SENTINEL_KEY] as (() => void) | undefined;
  if (again) return again();

  let loading: Promise<Core | undefined> | undefined;
  let lastContextTarget: Element | null = null;
  let started = false;
  let listening = false;

  const ensureCore = () => (loading ??= coreOf() ? Promise.resolve(coreOf()) : send('autofill.loadCore', undefined).then(() => coreOf()));

  const startCore = () => {
    if (started) return;
    started = true;
    void ensureCore().then((core) => core?.start());
  };

  const check = () => {
    const shadows = looksIntoShadows();
    if (hasCandidate(document, false, shadows)) {
      listen();
      return startCore();
    }
    // Something a person might ask to fill ("u" and "p" fields, roots the light DOM does not show).
    if (shadows || document.getElementsByTagName('input').length > 0) listen();
  };

  // A person is in a field: a form that was not there at first, or one inside a shadow root.
  document.addEventListener(
    'focusin',
    (e) => {
      const target = e.target as Element | null;
      if (!e.isTrusted || started || !target) return;
      if (target.tagName !== 'INPUT') {
        if (looksIntoShadows() || !shadowOf(target)) return;
        lookIntoShadows();
      }
      check();
    },
    true,
  );
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', check, { once: true });
  else check();

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
