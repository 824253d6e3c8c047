// Work that must not run on the service worker's thread or needs a DOM: Argon2id and clearing the
// clipboard. Runs in Chrome's offscreen document, or directly in Firefox's background page.
import { fromBase64Url, toBase64Url } from '../crypto/encoding';
import { argon2id, type KdfParams } from '../crypto/kdf';
import { t } from '../i18n';
import type { StrengthVerdict } from '../model/master-password';
import type { Strength } from '../model/strength';

export const CLIPBOARD_CLEAR_MS = 30_000;

export type OffscreenRequest =
  | { task: 'derive'; password: string; salt: string; params: KdfParams }
  | { task: 'clipboard-clear-later'; text: string; afterMs: number }
  /** Answered by the offscreen document itself (entrypoints/offscreen), which loads the meter. */
  | { task: 'strength'; password: string }
  /** Entry passwords for the entry form and the health view; answered by the offscreen document too. */
  | { task: 'rate'; passwords: string[] }
  | { task: 'clipboard-copy'; text: string; afterMs: number };

export type OffscreenResponse = { ok: true; key?: string; verdict?: StrengthVerdict | null; strengths?: Strength[] | null } | { ok: false; code: string; message: string };

function readClipboard(doc: Document): string | undefined {
  const area = doc.createElement('textarea');
  doc.body.append(area);
  area.focus();
  const ok = doc.execCommand('paste');
  const text = area.value;
  area.remove();
  return ok ? text : undefined;
}

function writeClipboard(doc: Document, text: string): boolean {
  const onCopy = (e: ClipboardEvent) => {
    e.clipboardData?.setData('text/plain', text);
    e.preventDefault();
  };
  doc.addEventListener('copy', onCopy);
  try {
    return doc.execCommand('copy');
  } finally {
    doc.removeEventListener('copy', onCopy);
  }
}

const clearClipboard = (doc: Document) => writeClipboard(doc, '');

let pendingClear: ReturnType<typeof setTimeout> | undefined;

export async function runOffscreenTask(req: OffscreenRequest, doc: Document | undefined = globalThis.document): Promise<OffscreenResponse> {
  if (req.task === 'derive') {
    const key = await argon2id(fromBase64Url(req.password), fromBase64Url(req.salt), req.params);
    return { ok: true, key: toBase64Url(key) };
  }
  if (req.task === 'strength' || req.task === 'rate') return { ok: false, code: 'INTERNAL', message: t('errorStrengthOffscreenOnly') };
  if (!doc) return { ok: false, code: 'INTERNAL', message: t('errorClipboardNoDocument') };
  // A one-time code the background made (after "Open & log in"): no page of ours is open to copy it.
  if (req.task === 'clipboard-copy' && !writeClipboard(doc, req.text)) return { ok: false, code: 'INTERNAL', message: t('errorClipboardWrite') };
  clearTimeout(pendingClear);
  pendingClear = setTimeout(() => {
    // Only clear what we put there: if the person copied something else since, leave it.
    if (readClipboard(doc) === req.text) clearClipboard(doc);
  }, req.afterMs);
  return { ok: true };
}
