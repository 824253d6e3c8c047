// Whether what a person sees at a field's place is the field (SECURITY.md 9 and 13): a hit test
// (elementsFromPoint) across the field's middle, as the in-page checks of password managers do.
// Layout work: only at fill time, never in the always-injected sentinel.
import { commonAncestor, contains, isVisible, parentOf } from './dom';

/** Points across the field's middle line, its centre first (as fractions of its width). */
const POINTS = [0.5, 0.25, 0.75];
/** A cover that lets less than this much of the field show through hides it (SECURITY.md 9's 0.7). */
const HIDING_ALPHA = 0.3;
/** Elements that paint their own content whatever their background. */
const REPLACED = /^(IMG|VIDEO|CANVAS|IFRAME|EMBED|OBJECT|svg|SVG|PICTURE)$/;

type Root = Document | ShadowRoot;
type Box = { left: number; top: number; width: number; height: number };

/**
 * Whether the field is on top at its own place: nothing opaque covers its centre, nor both of the
 * points a quarter in from each side. What belongs to the field's own UI (its labels, a floating
 * label or icon in the wrapper the field sits in) does not cover it; elements with
 * pointer-events:none are not hit at all. A field out of view is scrolled into view first; a field
 * under something fixed to the window's edge (a cookie banner) is scrolled to the middle, as a
 * person would, and judged there.
 */
export function uncovered(el: HTMLElement): boolean {
  const win = el.ownerDocument.defaultView;
  if (!win) return false;
  const r = el.getBoundingClientRect();
  if (!inView(r.left + r.width / 2, r.top + r.height / 2, win)) el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  if (onTop(el, win)) return true;
  el.scrollIntoView({ block: 'center', inline: 'nearest' });
  return onTop(el, win);
}

function onTop(el: HTMLElement, win: Window): boolean {
  const r = el.getBoundingClientRect();
  const root = el.getRootNode() as Root;
  if (typeof root.elementsFromPoint !== 'function') return true;
  const y = r.top + r.height / 2;
  let covered = 0;
  for (let i = 0; i < POINTS.length; i++) {
    const x = r.left + r.width * POINTS[i]!;
    // A point outside the viewport cannot be hit-tested (a field wider than the window).
    if (!inView(x, y, win)) continue;
    if (ownAt(el, r, root.elementsFromPoint(x, y))) continue;
    if (i === 0) return false;
    covered++;
  }
  return covered < 2;
}

/**
 * For a field in a frame of the top page's own origin (and frames of it): whether every frame
 * element on the way up is what its parent shows at the field's centre, and is visible there.
 * undefined when a parent is of another origin (its document cannot be looked at from here).
 */
export function framesUncovered(el: Element): boolean | undefined {
  let win = el.ownerDocument.defaultView;
  const r = el.getBoundingClientRect();
  let x = r.left + r.width / 2;
  let y = r.top + r.height / 2;
  while (win && win !== win.top) {
    let frame: Element | null;
    try {
      frame = win.frameElement;
    } catch {
      frame = null;
    }
    if (!frame) return undefined;
    const parent = frame.ownerDocument.defaultView;
    if (!parent || !isVisible(frame)) return false;
    // From the frame's viewport to its parent's: the frame's box, its border and its padding.
    const fr = frame.getBoundingClientRect();
    const cs = parent.getComputedStyle(frame);
    x += fr.left + frame.clientLeft + (parseFloat(cs.paddingLeft) || 0);
    y += fr.top + frame.clientTop + (parseFloat(cs.paddingTop) || 0);
    if (!inView(x, y, parent)) return false;
    const root = frame.getRootNode() as Root;
    if (!ownAt(frame, fr, root.elementsFromPoint(x, y))) return false;
    win = parent;
  }
  return true;
}

function inView(x: number, y: number, win: Window): boolean {
  return x >= 0 && y >= 0 && x < win.innerWidth && y < win.innerHeight;
}

/** Walks the hits at one point from the top down: the field (or what is part of it) before anything that hides it. */
function ownAt(el: Element, r: Box, hits: Element[]): boolean {
  for (const hit of hits) {
    // The field itself, or an ancestor of it (a field that lets hits through: nothing was above it).
    if (contains(hit, el)) return true;
    if (partOf(el, r, hit)) return true;
    if (!seeThrough(hit)) return false;
  }
  return false;
}

/** The field's own UI: one of its labels, or something in the wrapper the field fills (a floating label, an icon). */
function partOf(el: Element, r: Box, hit: Element): boolean {
  const labels = (el as HTMLInputElement).labels;
  if (labels) for (let i = 0; i < labels.length; i++) if (contains(labels[i]!, hit)) return true;
  const common = commonAncestor(el, hit);
  if (!common) return false;
  const c = common.getBoundingClientRect();
  return c.width <= r.width + 96 && c.height <= Math.max(r.height * 3, r.height + 64);
}

/** An element that lets the field show through: no background of its own, or faded to almost nothing. */
function seeThrough(hit: Element): boolean {
  const win = hit.ownerDocument.defaultView;
  if (!win) return true;
  const cs = win.getComputedStyle(hit);
  const paints = REPLACED.test(hit.tagName) || hit.namespaceURI === 'http://www.w3.org/2000/svg' || cs.backgroundImage !== 'none';
  const alpha = paints ? 1 : alphaOf(cs.backgroundColor);
  if (alpha === 0) return true;
  let opacity = alpha;
  for (let n: Element | null = hit; n && opacity >= HIDING_ALPHA; n = parentOf(n)) opacity *= parseFloat(win.getComputedStyle(n).opacity) || 0;
  return opacity < HIDING_ALPHA;
}

/** The alpha of a computed colour ("rgba(0, 0, 0, 0)", "rgb(255 255 255 / 0.5)", "transparent"). */
function alphaOf(color: string): number {
  if (!color || color === 'transparent') return 0;
  const m = /^rgba?\((.*)\)$/.exec(color);
  if (!m) return 1;
  const parts = m[1]!.split(/[\s,/]+/).filter(Boolean);
  if (parts.length < 4) return 1;
  const a = parts[3]!;
  return a.endsWith('%') ? parseFloat(a) / 100 : parseFloat(a);
}
