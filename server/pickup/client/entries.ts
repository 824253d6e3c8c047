// The revealed state: each entry with its fields, copy buttons, show/hide for the password, CSV
// download (papaparse, loaded on click) and print. Also hands the entries to the extension, if the
// person has it: window.latchkeyPickup (LINKS-API.md), which only the extension's popup reads, on a
// click of the person's.
import type { LinkEntry, LinkPayload } from '../../../lib/sharing/link-format.ts';
import { h } from './dom.ts';
import { t, type MessageKey } from './i18n.ts';

function copyButton(value: string, label: string): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'secondary', 'aria-label': label }, t('copy'));
  button.addEventListener('click', () => {
    void navigator.clipboard.writeText(value).then(() => {
      button.textContent = t('copied');
      setTimeout(() => (button.textContent = t('copy')), 1500);
    });
  });
  return button;
}

function field(labelKey: MessageKey, value: string, title: string, secret = false): HTMLElement {
  const name = t(labelKey);
  const buttons = h('div', { class: 'buttons' });
  let shown: Node = document.createTextNode(value);
  if (secret) {
    const mask = h('span', { class: 'mask', 'aria-hidden': 'true' }, '•'.repeat(Math.min(12, Math.max(8, value.length))));
    const clear = h('span', { class: 'value', hidden: true }, value);
    const toggle = h('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false', 'aria-label': t('showPasswordLabel', { title }) }, t('show'));
    toggle.addEventListener('click', () => {
      const visible = clear.hidden;
      clear.hidden = !visible;
      mask.hidden = visible;
      toggle.textContent = visible ? t('hide') : t('show');
      toggle.setAttribute('aria-pressed', String(visible));
      toggle.setAttribute('aria-label', t(visible ? 'hidePasswordLabel' : 'showPasswordLabel', { title }));
    });
    shown = h('span', { class: 'secret' }, mask, clear);
    buttons.append(toggle);
  }
  buttons.append(copyButton(value, t('copyLabel', { field: name, title })));
  // Buttons inside the <dd>: a <dl> group holds only <dt> and <dd>.
  return h('div', { class: 'field' }, h('dt', {}, name), h('dd', {}, h('span', { class: 'text' }, shown), buttons));
}

function entryCard(entry: LinkEntry, index: number): HTMLElement {
  const title = entry.title || t('untitled');
  const fields: HTMLElement[] = [];
  if (entry.username) fields.push(field('fieldUsername', entry.username, title));
  if (entry.password) fields.push(field('fieldPassword', entry.password, title, true));
  for (const url of entry.urls) fields.push(field('fieldUrl', url, title));
  if (entry.notes) fields.push(field('fieldNotes', entry.notes, title));
  if (entry.totp) fields.push(field('fieldTotp', entry.totp, title, true));
  const heading = `entry-${index}`;
  return h('section', { class: 'card', 'aria-labelledby': heading }, h('h2', { id: heading }, title), h('dl', {}, ...fields));
}

async function downloadCsv(entries: LinkEntry[]): Promise<void> {
  const { default: Papa } = await import('papaparse');
  const csv = Papa.unparse({
    fields: ['name', 'url', 'username', 'password', 'notes', 'totp'],
    data: entries.map((e) => [e.title, e.urls.join(' '), e.username, e.password, e.notes ?? '', e.totp ?? '']),
  }, { escapeFormulae: true });
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  const a = h('a', { href: url, download: 'shared-entries.csv' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function revealedView(linkId: string, title: string, payload: LinkPayload): Node[] {
  const entries = payload.entries;
  // For the extension's popup (read on the person's click); frozen so the page cannot change it later.
  const exposed = Object.freeze({ v: 1 as const, linkId, entries: Object.freeze(entries.map((e) => Object.freeze({ ...e, urls: Object.freeze([...e.urls]) }))) });
  Object.defineProperty(window, 'latchkeyPickup', { value: exposed, writable: false, configurable: false, enumerable: true });
  window.dispatchEvent(new Event('latchkey-pickup-revealed'));

  const csv = h('button', { type: 'button', class: 'secondary' }, t('downloadCsv'));
  csv.addEventListener('click', () => void downloadCsv(entries));
  const print = h('button', { type: 'button', class: 'secondary' }, t('print'));
  print.addEventListener('click', () => window.print());
  return [
    h('h1', {}, t('revealedTitle', { title })),
    h('p', { class: 'muted' }, t('keepOpen')),
    h('div', { id: 'entries' }, ...entries.map(entryCard)),
    h('div', { class: 'actions' }, csv, print),
    h('section', { class: 'card' }, h('p', {}, t('saveHint')), h('p', { class: 'muted' }, t('noAccount'))),
  ];
}
