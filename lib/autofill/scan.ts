// Finds the login form of a frame: collects the inputs (shadow roots included), groups them into
// forms (a <form>, or the smallest container around formless fields), and asks signals.ts what
// each group is. Runs in the content script; every loop is bounded.
import { findCodeField } from './code-step';
import { attr, collect, commonAncestor, contains, formOf, hasAttribute, isVisible, parentOf } from './dom';
import { describe } from './field-desc';
import { buttonText, findSubmit } from './submit';
import {
  classifyGroup,
  classifyUsernameStep,
  isPasswordField,
  isTextType,
  tokens,
  usernameScore,
  LOGIN_WORDS,
  type FieldDesc,
  type FormKind,
  type GroupDesc,
} from './signals';

export type DetectedKind = FormKind | 'username' | 'password' | 'otp' | 'none';

export interface Detection {
  /** login: username + password; password: a password step; username: an identifier step; otp: a one-time-code step. */
  kind: DetectedKind;
  username?: HTMLInputElement;
  password?: HTMLInputElement;
  /** The one-time-code field of an otp step. */
  code?: HTMLInputElement;
  newPasswords: HTMLInputElement[];
  form: HTMLFormElement | null;
  container?: Element;
  submit?: HTMLElement;
  /** Shadow roots seen, so the caller can watch them for changes. */
  roots: ShadowRoot[];
}

const FILLABLE = new Set(['text', 'email', 'tel', 'search', 'number', 'url', 'password']);
const MAX_GROUPS = 40;
/** Identifier steps are looked for among the first fields only (login forms come early). */
const MAX_STEP_FIELDS = 400;
const DECOY = /hidden|honey ?pot|decoy|\bfake|\btrap/i;

interface Field {
  el: HTMLInputElement;
  d: FieldDesc;
  order: number;
}

/** Text that names a group: form attributes, buttons, headings and legends inside it. */
function groupText(container: Element, form: HTMLFormElement | null, buttons: HTMLElement[]): string {
  let t = '';
  if (form) t += ' ' + [attr(form, 'id'), attr(form, 'name'), attr(form, 'action'), attr(form, 'class'), attr(form, 'aria-label')].join(' ');
  else t += ' ' + [attr(container, 'id'), attr(container, 'class'), attr(container, 'aria-label')].join(' ');
  for (const b of buttons) if (b.tagName !== 'A' && contains(container, b)) t += ' ' + buttonText(b);
  const heads = container.querySelectorAll('h1,h2,h3,h4,legend,[role=heading],input[type=submit],input[type=button],input[type=image]');
  for (let i = 0; i < heads.length && i < 12; i++) {
    const h = heads[i]!;
    t += ' ' + (h.tagName === 'INPUT' ? attr(h, 'value') + ' ' + attr(h, 'alt') + ' ' + attr(h, 'name') + ' ' + attr(h, 'id') : h.textContent);
  }
  return tokens(t).slice(0, 2000);
}


function pageText(doc: Document): string {
  const h = doc.querySelector('h1');
  return tokens(`${doc.title} ${h?.textContent?.slice(0, 200) ?? ''}`);
}

/** Checkboxes and date/select fields that only registration forms carry. */
function extrasIn(container: Element): number {
  let n = 0;
  const boxes = container.querySelectorAll('input[type=checkbox],select,input[type=date]');
  for (let i = 0; i < boxes.length && i < 30; i++) {
    const b = boxes[i]!;
    const words = tokens(`${attr(b, 'name')} ${attr(b, 'id')} ${b.parentElement?.textContent?.slice(0, 120) ?? ''}`);
    if (/terms|agree|accept|privacy|policy|conditions|birth|gender|newsletter|\bday\b|month|year|agb|datenschutz|cgu|términos|condiç|условия|規約|약관|条款/.test(words)) n++;
  }
  return n;
}

/** Class names that hide an element by convention (their CSS may not have loaded yet). */
const HIDING_CLASS = /(^|\s)(hidden|hide|is-hidden|d-none|invisible|sr-only|visually-?hidden|visuallyhidden|hidden-input|move-?off-?screen|offscreen)(\s|$)/i;

/** Inside content a modal has put behind it (aria-hidden, inert): not what the person is looking at. */
function obscured(el: Element): boolean {
  for (let n: Element | null = el; n; n = parentOf(n)) if (attr(n, 'aria-hidden') === 'true' || hasAttribute(n, 'inert')) return true;
  return false;
}

/** Headers, menus and pop-overs: a second login form there is less likely the one meant. */
function inChrome(el: Element): boolean {
  let i = 0;
  for (let n: Element | null = el; n && i < 12 && n.tagName !== 'BODY'; n = parentOf(n), i++) {
    if (/^(HEADER|NAV|FOOTER|ASIDE)$/.test(n.tagName) || /header|\bnav|menu|modal|popup|popover|dropdown|footer|topbar|top-bar/i.test(`${attr(n, 'id')} ${attr(n, 'class')}`)) return true;
  }
  return false;
}

/** The form of one frame that Latchkey would fill, and what kind of form it is. */
export function detect(doc: Document = document, deep = true): Detection {
  const { inputs, buttons, roots } = collect(doc, deep);
  const none: Detection = { kind: 'none', newPasswords: [], form: null, roots };

  // Describe only the fields that could matter; visibility (layout) only for those.
  const fields: Field[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const el = inputs[i]!;
    if (!FILLABLE.has(el.type)) continue;
    fields.push({ el, d: describe(el), order: i });
  }
  const visibleCache = new Map<HTMLInputElement, boolean>();
  const visible = (f: Field) => {
    let v = visibleCache.get(f.el);
    // Fields a site names "hidden" or "honeypot", hides by class or from screen readers are traps.
    if (v === undefined) {
      v = !DECOY.test(`${attr(f.el, 'name')} ${attr(f.el, 'id')}`) && !HIDING_CLASS.test(attr(f.el, 'class')) && attr(f.el, 'aria-hidden') !== 'true' && isVisible(f.el);
      visibleCache.set(f.el, v);
    }
    return v;
  };

  const passwords = fields.filter((f) => isPasswordField(f.d)).filter(visible).slice(0, MAX_GROUPS);
  const page = pageText(doc);
  const visibleButtons = buttons.filter((b) => b.isConnected);

  type Built = { container: Element; form: HTMLFormElement | null; fields: Field[] };
  const groups: Built[] = [];
  const grouped = new Set<Field>();
  for (const p of passwords) {
    if (grouped.has(p)) continue;
    const g = groupFor(p, fields, visible);
    g.fields.forEach((f) => grouped.add(f));
    groups.push(g);
  }

  type Candidate = { g: Built; kind: DetectedKind; username?: Field; password?: Field; newPasswords: Field[]; evidence: boolean; hidden: boolean };
  let results: Candidate[] = groups.map((g) => {
    const desc: GroupDesc = {
      fields: g.fields.map((f) => f.d),
      text: groupText(g.container, g.form, visibleButtons),
      pageText: page,
      extras: extrasIn(g.container),
      blurb: blurbOf(g.container),
    };
    const r = classifyGroup(desc);
    const username = r.username >= 0 ? g.fields[r.username] : undefined;
    const password = r.password >= 0 ? g.fields[r.password] : undefined;
    const kind: DetectedKind = r.kind === 'login' && !username ? 'password' : r.kind;
    const evidence = LOGIN_WORDS.test(desc.text) || desc.fields.some((f) => /username|current-password/.test(f.ac) || LOGIN_WORDS.test(f.hints));
    return { g, kind, username, password, newPasswords: r.newPasswords.map((i) => g.fields[i]!), evidence, hidden: obscured(g.container) };
  });
  // Forms a modal has put behind itself only count when nothing else is there.
  if (results.some((r) => !r.hidden)) results = results.filter((r) => !r.hidden);
  const mixed = results.some((r) => r.kind === 'change-password' || r.kind === 'signup');

  const pick = (kinds: DetectedKind[]) => {
    const c = results.filter((r) => kinds.includes(r.kind));
    if (c.length <= 1) return c[0];
    const active = doc.activeElement;
    return (
      c.find((r) => r.g.fields.some((f) => f.el === active || (active && contains(f.el, active)))) ??
      c.find((r) => !inChrome(r.g.container) && inViewport(r.g.container)) ??
      c.find((r) => !inChrome(r.g.container)) ??
      c[0]
    );
  };

  let chosen = pick(['login']) ?? pick(['password']);
  if (chosen && mixed && !chosen.evidence) {
    // Beside a sign-up or change form, a login form has to say it is one.
    chosen = { ...chosen, kind: chosen.kind === 'password' && /current|old|\balt\b|actuel|ancien/.test(chosen.password!.d.hints + chosen.password!.d.label) ? 'change-password' : 'signup' };
  }
  chosen ??= pick(['change-password', 'signup']);
  if (chosen) return finish(chosen.g, chosen.kind, chosen.username?.el, chosen.password?.el, chosen.newPasswords.map((f) => f.el), roots, visibleButtons);

  // No password field: maybe the step after the password, which asks for a one-time code.
  const code = findCodeField(fields, visible);
  if (code && !obscured(code.el)) {
    const form = formOf(code.el);
    const step = { container: form ?? stepContainer(code.el, visibleButtons), form, fields: [code] };
    return { ...finish(step, 'otp', undefined, undefined, [], roots, visibleButtons, code.el), code: code.el };
  }

  // No password field: maybe the first step of a login (an identifier and a Next button).
  const seen = new Set<Element>();
  let checked = 0;
  for (let i = 0; i < fields.length && i < MAX_STEP_FIELDS; i++) {
    const f = fields[i]!;
    if (checked > MAX_GROUPS) break;
    if (grouped.has(f) || !isTextType(f.d) || usernameScore(f.d) < 3) continue;
    if (!visible(f)) continue;
    checked++;
    const form = formOf(f.el);
    const container = form ?? stepContainer(f.el, visibleButtons);
    if (seen.has(container)) continue;
    seen.add(container);
    const gf = fields.filter((x) => (form ? formOf(x.el) === form : contains(container, x.el)) && visible(x));
    const desc: GroupDesc = {
      fields: gf.map((x) => x.d),
      text: groupText(container, form, visibleButtons) + ' ' + ancestorNames(container),
      pageText: page,
      extras: extrasIn(container),
      blurb: '',
    };
    const u = classifyUsernameStep(desc);
    if (u >= 0 && !obscured(container)) return finish({ container, form, fields: gf }, 'username', gf[u]!.el, undefined, [], roots, visibleButtons);
  }
  return none;
}

/** id and class of the few elements around a form: "user-auth-drawer", "login-modal". */
function ancestorNames(el: Element): string {
  let t = '';
  let n = parentOf(el);
  for (let i = 0; n && i < 4; i++, n = parentOf(n)) t += ` ${attr(n, 'id')} ${attr(n, 'class')}`;
  return tokens(t);
}

/** The visible wording of a small group ("Make sure it's 8 characters or more"). */
function blurbOf(el: Element): string {
  const t = el.textContent ?? '';
  return t.length < 1500 ? t.toLowerCase() : '';
}

function inViewport(el: Element): boolean {
  const r = el.getBoundingClientRect();
  const win = el.ownerDocument.defaultView!;
  return r.bottom > 0 && r.right > 0 && r.top < win.innerHeight && r.left < win.innerWidth;
}

/**
 * The group of a password field: its whole <form> when the form is small; otherwise (formless
 * fields, page-wide ASP.NET forms) the smallest container holding it and the text field before it,
 * widened over sibling password fields (a confirm field) but never over other text fields.
 */
function groupFor(p: Field, fields: Field[], visible: (f: Field) => boolean) {
  const form = formOf(p.el);
  if (form) {
    const inForm = fields.filter((f) => formOf(f.el) === form && visible(f));
    // The whole form, unless it holds several blocks (login and registration in one ASP.NET form):
    // then a text field that could be a username sits between two of its password fields.
    const pws = inForm.filter((f) => isPasswordField(f.d));
    const between = inForm.some((f) => f.order > pws[0]!.order && f.order < pws[pws.length - 1]!.order && !isPasswordField(f.d) && usernameScore(f.d) >= 3);
    if (pws.length <= 3 && inForm.length <= 16 && !between) return { container: form as Element, form, fields: inForm };
  }
  const bound: Element | null = form ?? null;
  const inBound = (f: Field) => (bound ? formOf(f.el) === bound : !formOf(f.el));
  let prev: Field | undefined;
  for (const f of fields) {
    if (f.order >= p.order) break;
    if (inBound(f) && isTextType(f.d) && !isPasswordField(f.d) && usernameScore(f.d) >= 0 && visible(f)) prev = f;
  }
  // Start from the field and its username (or the field alone) and widen from there.
  let container: Element = (prev && commonAncestor(prev.el, p.el)) || parentOf(p.el) || p.el;
  if (bound && !contains(bound, container)) container = bound;
  const members = (c: Element) => fields.filter((f) => contains(c, f.el) && visible(f));
  let current = members(container);
  for (let up = parentOf(container); up && (!bound || contains(bound, up)); up = parentOf(up)) {
    const wider = members(up);
    if (wider.some((f) => !current.includes(f) && !isPasswordField(f.d))) break;
    container = up;
    current = wider;
    if (up === bound) break;
  }
  return { container, form, fields: current };
}

/** For a formless identifier field: the nearest ancestor (at most 6 up) that also holds a button. */
function stepContainer(el: Element, buttons: HTMLElement[]): Element {
  let n: Element | null = parentOf(el);
  for (let i = 0; n && i < 6; i++, n = parentOf(n)) {
    if (buttons.some((b) => contains(n!, b)) || n.querySelector('input[type=submit],input[type=button]')) return n;
  }
  return parentOf(el) ?? el;
}

function finish(
  g: { container: Element; form: HTMLFormElement | null; fields: Field[] },
  kind: DetectedKind,
  username: HTMLInputElement | undefined,
  password: HTMLInputElement | undefined,
  newPasswords: HTMLInputElement[],
  roots: ShadowRoot[],
  buttons: HTMLElement[],
  code?: HTMLInputElement,
): Detection {
  const last = password ?? username ?? code ?? newPasswords[newPasswords.length - 1];
  let form = g.form;
  // Fields inside shadow roots belong to no form, even when a <form> encloses their hosts.
  for (let n: Element | null = g.container; n && !form; n = parentOf(n)) if (n.tagName === 'FORM') form = n as HTMLFormElement;
  return { kind, username, password, newPasswords, form, container: g.container, submit: last ? findSubmit(g.container, form, last, buttons) : undefined, roots };
}
