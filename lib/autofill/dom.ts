// DOM access that a hostile page cannot bend. The content script runs in an isolated world, so a
// page that redefines DOM methods only changes its own copies; but a <form> still shadows its own
// members with named fields (<input name="action">, <input name="getAttribute">), so form
// properties are always read through the prototypes.

// Read from the prototype at each call rather than kept at load: the isolated world's copy cannot be
// changed by the page, and touching Element at document_start was a measurable part of the
// always-injected script's cost on pages that never get this far.
export const attr = (el: Element, name: string): string => Element.prototype.getAttribute.call(el, name) ?? '';
export const hasAttribute = (el: Element, name: string): boolean => Element.prototype.hasAttribute.call(el, name);

/** Shadow root of an element, open or closed (chrome.dom in Chromium, openOrClosedShadowRoot in Firefox). */
export function shadowOf(el: Element): ShadowRoot | null {
  try {
    const dom = (globalThis as { chrome?: { dom?: { openOrClosedShadowRoot?: (e: Element) => ShadowRoot | null } } }).chrome?.dom;
    if (dom?.openOrClosedShadowRoot) return dom.openOrClosedShadowRoot(el) ?? null;
    const ff = (el as Element & { openOrClosedShadowRoot?: () => ShadowRoot | null }).openOrClosedShadowRoot;
    if (typeof ff === 'function') return ff.call(el) ?? null;
  } catch {
    // Not an element that can host a root.
  }
  return el.shadowRoot;
}

/** Elements that may host a shadow root (the HTML list plus custom elements). */
const HOSTS = /^(DIV|SPAN|SECTION|ARTICLE|ASIDE|MAIN|NAV|HEADER|FOOTER|P|BLOCKQUOTE|BODY|H[1-6])$|-/;

export interface Collected {
  inputs: HTMLInputElement[];
  buttons: HTMLElement[];
  roots: ShadowRoot[];
}

/** Limits that keep a hostile page (5,000 inputs, deep shadow nesting) from stalling a scan. */
export const MAX_ELEMENTS = 30_000;
export const MAX_INPUTS = 3_000;

/**
 * Every input and button of a document in document order, looking into shadow roots when `deep`
 * (one privileged call per element that may host one: worth it only where the page uses them).
 */
export function collect(doc: Document, deep = true): Collected {
  const out: Collected = { inputs: [], buttons: [], roots: [] };
  let budget = MAX_ELEMENTS;
  const walk = (root: Document | ShadowRoot, depth: number) => {
    const all = root.querySelectorAll('*');
    for (let i = 0; i < all.length && budget > 0; i++, budget--) {
      const el = all[i]!;
      const tag = el.tagName;
      if (tag === 'INPUT') {
        if (out.inputs.length < MAX_INPUTS) out.inputs.push(el as HTMLInputElement);
      } else if (tag === 'BUTTON' || tag === 'A' || attr(el, 'role') === 'button') {
        if (out.buttons.length < MAX_INPUTS) out.buttons.push(el as HTMLElement);
      } else if (deep && depth < 20 && HOSTS.test(tag)) {
        const sr = shadowOf(el);
        if (sr) {
          out.roots.push(sr);
          walk(sr, depth + 1);
        }
      }
    }
  };
  walk(doc, 0);
  return out;
}

/** Parent across shadow boundaries: a shadow root's parent is its host. */
export function parentOf(n: Node): Element | null {
  const p = n.parentNode;
  if (!p) return null;
  if (p.nodeType === 11) return (p as ShadowRoot).host ?? null;
  return p.nodeType === 1 ? (p as Element) : null;
}

export function contains(a: Element, b: Node): boolean {
  for (let n: Node | null = b; n; n = parentOf(n)) if (n === a) return true;
  return false;
}

export function commonAncestor(a: Element, b: Element): Element | null {
  const seen = new Set<Element>();
  for (let n: Element | null = a; n; n = parentOf(n)) seen.add(n);
  for (let n: Element | null = b; n; n = parentOf(n)) if (seen.has(n)) return n;
  return null;
}

/** The form an input belongs to (null inside a shadow root the form is not in). */
export const formOf = (el: HTMLInputElement): HTMLFormElement | null => el.form;

/** Where a form would send its data: the submitter's formaction, else the form's action, else the page. */
export function actionOrigin(form: HTMLFormElement | null, submitter?: Element | null): string {
  const doc = (form ?? submitter)?.ownerDocument ?? document;
  let target = '';
  if (submitter && hasAttribute(submitter, 'formaction')) target = attr(submitter, 'formaction');
  else if (form) target = attr(form, 'action');
  if (!target.trim()) return doc.defaultView?.origin ?? location.origin;
  try {
    const url = new URL(target, doc.baseURI);
    // javascript: keeps the data in the page; anything else that is not http(s) leaves it.
    if (url.protocol === 'javascript:') return doc.defaultView?.origin ?? location.origin;
    return url.origin;
  } catch {
    return 'null';
  }
}

const MIN_W = 12;
const MIN_H = 8;

/**
 * Whether a person can see the field (SECURITY.md 9): not display:none, visibility:hidden, hidden,
 * tiny, off screen, clipped away by an ancestor, or under opacity 0.7 on itself or any ancestor.
 */
export function isVisible(el: Element): boolean {
  if (!el.isConnected) return false;
  const win = el.ownerDocument.defaultView;
  if (!win) return false;
  const r = el.getBoundingClientRect();
  if (r.width < MIN_W || r.height < MIN_H) return false;
  const de = el.ownerDocument.documentElement;
  const sx = win.scrollX;
  const sy = win.scrollY;
  if (r.right + sx <= 0 || r.bottom + sy <= 0) return false;
  if (r.left + sx >= Math.max(de.scrollWidth, win.innerWidth) || r.top + sy >= Math.max(de.scrollHeight, win.innerHeight)) return false;
  const check = (el as HTMLElement).checkVisibility;
  if (check && !check.call(el, { visibilityProperty: true, contentVisibilityAuto: true } as CheckVisibilityOptions)) return false;
  for (let n: Element | null = el; n; n = parentOf(n)) {
    if (hasAttribute(n, 'hidden') && n.tagName !== 'DIALOG') return false;
    const cs = win.getComputedStyle(n);
    if (cs.display === 'none' || cs.visibility === 'hidden' || cs.visibility === 'collapse') return false;
    if (parseFloat(cs.opacity) < 0.7) return false;
    if (n !== el) {
      const clips = cs.overflowX !== 'visible' || cs.overflowY !== 'visible' || (cs.clipPath && cs.clipPath !== 'none') || (cs.clip && cs.clip !== 'auto');
      // A field scrolled out of a scrollable ancestor (overflow:auto/scroll) counts as clipped, on
      // purpose: it cannot be seen when the fill happens, and "a person could scroll to it" is also
      // true of a field parked far inside an overflow box, the clipping trick SECURITY.md 9 refuses.
      if (clips && cs.display !== 'contents') {
        const pr = n.getBoundingClientRect();
        const w = Math.min(r.right, pr.right) - Math.max(r.left, pr.left);
        const h = Math.min(r.bottom, pr.bottom) - Math.max(r.top, pr.top);
        if (w < MIN_W || h < MIN_H) return false;
      }
    } else if (cs.clip && cs.clip !== 'auto' && /rect\(0(px)?,? 0(px)?/.test(cs.clip)) return false;
  }
  return true;
}
