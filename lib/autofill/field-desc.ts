// What a field says about itself: its type, name, autocomplete token, and the words around it
// (class, placeholder, aria-label, its label), as signals.ts reads them.
import { attr } from './dom';
import { tokens, type FieldDesc } from './signals';

export function describe(el: HTMLInputElement): FieldDesc {
  const named = attr(el, 'name');
  const raw = named || attr(el, 'id');
  const name = raw.split(/[^\p{L}\p{N}_-]+/u).filter(Boolean).pop() ?? '';
  const rest = [attr(el, 'class'), attr(el, 'placeholder'), attr(el, 'aria-label'), attr(el, 'title'), attr(el, 'data-testid')].join(' ');
  const hints = tokens(`${raw} ${attr(el, 'id')} ${rest}`);
  let label: string | undefined;
  return {
    type: el.type,
    name: name.toLowerCase(),
    ac: attr(el, 'autocomplete').toLowerCase(),
    hints,
    // Labels cost a tree search each (el.labels): only for the fields a decision needs.
    get label() {
      return (label ??= labelText(el));
    },
    readOnly: el.readOnly || el.disabled,
    shown: tokens(`${attr(el, 'placeholder')} ${attr(el, 'aria-label')} ${attr(el, 'title')}`),
    byName: named ? tokens(`${named} ${rest}`) : undefined,
  };
}

function labelText(el: HTMLInputElement): string {
  let text = '';
  const labels = el.labels;
  if (labels) for (let i = 0; i < labels.length && i < 3; i++) text += ' ' + (labels[i]!.textContent ?? '');
  const by = attr(el, 'aria-labelledby');
  if (by) {
    const root = el.getRootNode() as Document | ShadowRoot;
    for (const id of by.split(/\s+/).slice(0, 3)) text += ' ' + (root.getElementById?.(id)?.textContent ?? '');
  }
  if (!text.trim()) {
    // "Username: <input>" with no <label>: the text right before the field.
    let prev = el.previousSibling;
    while (prev && prev.nodeType === 3 && !prev.textContent?.trim()) prev = prev.previousSibling;
    if (prev && (prev.nodeType === 3 || (prev.nodeType === 1 && /^(LABEL|SPAN|B|STRONG|DIV|P|TD)$/.test((prev as Element).tagName)))) {
      const t = prev.textContent ?? '';
      if (t.length < 60) text = t;
    }
  }
  return text.slice(0, 200).toLowerCase();
}
