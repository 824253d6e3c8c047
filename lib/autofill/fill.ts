// Puts values into fields so that the page's framework notices (native setter, then input and
// change events), re-checking first that the fields are the ones detected (SECURITY.md 8–10).
import type { FillRefusal } from '../messages/autofill-protocol';
import { actionOrigin, attr, isVisible } from './dom';
import { uncovered } from './occlusion';
import type { Detection } from './scan';

const valueSetter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
const requestSubmit = HTMLFormElement.prototype.requestSubmit;
const click = HTMLElement.prototype.click;
const focus = HTMLElement.prototype.focus;

export function setValue(el: HTMLInputElement, value: string): void {
  try {
    focus.call(el, { preventScroll: true });
  } catch {
    // A page that breaks focus still gets the value.
  }
  // The prototype's setter: React and Vue keep their own copy on the element and compare.
  valueSetter.call(el, value);
  el.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertReplacementText', data: value }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
}

/** What a field was when detected; a fill only goes ahead if it still is (item 10). */
export interface Identity {
  el: HTMLInputElement;
  type: string;
  name: string;
  id: string;
}

export const identityOf = (el: HTMLInputElement): Identity => ({ el, type: el.type, name: attr(el, 'name'), id: attr(el, 'id') });

export function sameField(i: Identity): boolean {
  const { el } = i;
  // readonly is not checked: sites set it on password fields until focus to keep browsers away.
  return el.isConnected && el.type === i.type && attr(el, 'name') === i.name && attr(el, 'id') === i.id && !el.disabled;
}

export interface Snapshot {
  detection: Detection;
  username?: Identity;
  password?: Identity;
  code?: Identity;
  actionOrigin: string;
}

export function snapshotOf(d: Detection): Snapshot {
  return {
    detection: d,
    username: d.username && identityOf(d.username),
    password: d.password && identityOf(d.password),
    code: d.code && identityOf(d.code),
    actionOrigin: actionOrigin(d.form, d.submit),
  };
}

/** Why the snapshot may no longer be filled, or undefined. Hit tests (layout): at fill time only. */
export function fillRefusal(s: Snapshot, order: { username?: string; password?: string; code?: string; actionOrigin: string }): FillRefusal | undefined {
  const fields = [order.username !== undefined && s.username, order.password !== undefined && s.password, order.code !== undefined && s.code].filter((f): f is Identity => !!f);
  if (fields.length === 0) return 'noField';
  for (const f of fields) {
    if (!sameField(f)) return 'fieldChanged';
    if (!isVisible(f.el)) return 'notVisible';
  }
  // Covered is invisible (SECURITY.md 9, 13): what is on top at each field's place must be the field.
  for (const f of fields) if (!uncovered(f.el)) return 'covered';
  if (actionOrigin(s.detection.form, s.detection.submit) !== order.actionOrigin) return 'actionChanged';
  return undefined;
}

/**
 * Clears the password when the form's destination changes after the fill (item 8), until the
 * form is sent or a few minutes passed. Returns a stop function.
 */
export function guardAction(s: Snapshot, approved: string, password: HTMLInputElement): () => void {
  const form = s.detection.form;
  const check = () => {
    if (actionOrigin(form, s.detection.submit) !== approved && password.value) valueSetter.call(password, '');
  };
  const observer = new MutationObserver(check);
  if (form) observer.observe(form, { attributes: true, attributeFilter: ['action'] });
  if (s.detection.submit) observer.observe(s.detection.submit, { attributes: true, attributeFilter: ['formaction'] });
  const onSubmit = (e: Event) => {
    const submitter = (e as SubmitEvent).submitter;
    if (e.target === form && actionOrigin(form, submitter ?? s.detection.submit) !== approved && password.value) valueSetter.call(password, '');
  };
  const doc = password.ownerDocument;
  doc.addEventListener('submit', onSubmit, true);
  const stop = () => {
    observer.disconnect();
    doc.removeEventListener('submit', onSubmit, true);
  };
  setTimeout(stop, 5 * 60_000);
  return stop;
}

/** Sends the form the way a person would: its submit control, else requestSubmit, else Enter. */
export function submitForm(d: Detection, field: HTMLInputElement): void {
  if (d.submit && isVisible(d.submit) && !(d.submit as HTMLButtonElement).disabled) {
    click.call(d.submit);
    return;
  }
  if (d.form) {
    try {
      requestSubmit.call(d.form);
      return;
    } catch {
      // Invalid form: fall through to Enter.
    }
  }
  for (const type of ['keydown', 'keypress', 'keyup']) {
    field.dispatchEvent(new KeyboardEvent(type, { key: 'Enter', code: 'Enter', keyCode: 13, which: 13, bubbles: true, composed: true } as KeyboardEventInit));
  }
}

/**
 * Whether a field in a frame is really seen by the person, frame element and covering content
 * included: IntersectionObserver v2 (Chromium) reports opacity, transforms and occlusion of every
 * ancestor frame. Browsers without it are judged on the frame's own document only.
 */
export function seenInFrame(el: Element, timeoutMs = 400): Promise<boolean> {
  const win = el.ownerDocument.defaultView;
  if (!win || win === win.top) return Promise.resolve(true);
  if (!('isVisible' in IntersectionObserverEntry.prototype)) {
    try {
      const frame = win.frameElement;
      return Promise.resolve(frame ? isVisible(frame) : true);
    } catch {
      return Promise.resolve(true);
    }
  }
  return new Promise((resolve) => {
    const observer = new IntersectionObserver(
      (entries) => {
        const last = entries[entries.length - 1] as IntersectionObserverEntry & { isVisible?: boolean };
        observer.disconnect();
        resolve(!!last?.isVisible);
      },
      { trackVisibility: true, delay: 100 } as IntersectionObserverInit,
    );
    observer.observe(el);
    setTimeout(() => {
      observer.disconnect();
      resolve(false);
    }, timeoutMs);
  });
}
