// The pick-up page (/l/<id>#<secret>): reads the secret from the fragment (which no request, log
// line or Referer ever carries), shows the link's title from links.metadata (spends nothing), asks
// for the PIN or passphrase (and an email code for a restricted link), and reveals only on the
// person's explicit submit (POST). States: loading, form, revealed, refused, destroyed.
import {
  linkLookupTagOf,
  linkRevealProof,
  openLinkMetaWith,
  openLinkPayloadWith,
  parseLinkSecret,
  LINK_ID_PATTERN,
  type LinkMeta,
} from '../../../lib/sharing/link-format.ts';
import { ApiError, metadata, requestCode, reveal, type Metadata } from './api.ts';
import { h, show } from './dom.ts';
import { senderText } from './sender.ts';
import { t, type MessageKey } from './i18n.ts';

interface Link {
  id: string;
  secret: Uint8Array;
  lookupTag: string;
}

function refusedView(key: MessageKey = 'refused', titleKey: MessageKey = 'refusedTitle', params: Record<string, number> = {}): void {
  document.title = t(titleKey);
  show([h('h1', {}, t(titleKey)), h('p', {}, t(key, params))]);
}

function destroyedView(protection: string): void {
  refusedView(protection === 'pin' ? 'destroyedPin' : 'destroyedPassphrase', 'destroyedTitle');
}

function errorKey(e: unknown): MessageKey {
  const code = e instanceof ApiError ? e.appCode : (e as { code?: string } | null)?.code;
  if (code === 'WEAK_KDF_PARAMS') return 'weakKdf';
  if (code === 'NETWORK' || code === 'INTERNAL') return 'network';
  return 'damaged';
}

function formView(link: Link, info: Metadata, meta: LinkMeta): void {
  const needsSecret = info.protection !== 'none';
  let attemptsLeft = info.attemptsLeft;
  const error = h('p', { id: 'form-error', class: 'error', role: 'alert' });
  const attempts = h('p', { id: 'attempts-left', class: 'muted' });
  const setAttempts = () => (attempts.textContent = attemptsLeft === null ? '' : t('attemptsLeft', { n: attemptsLeft }));
  setAttempts();

  const isPin = info.protection === 'pin';
  const secretInput = h('input', {
    id: 'secret',
    name: 'secret',
    type: 'password',
    autocomplete: 'off',
    required: true,
    'aria-describedby': 'secret-hint attempts-left form-error',
    ...(isPin ? { inputmode: 'numeric', pattern: '[0-9]{5}', maxlength: '5' } : {}),
  });
  const emailInput = h('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'email', 'aria-describedby': 'email-hint' });
  const codeInput = h('input', { id: 'code', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{8}', maxlength: '8', 'aria-describedby': 'code-hint form-error' });
  const codeHint = h('p', { id: 'code-hint', class: 'muted', role: 'status' });
  const sendCode = h('button', { type: 'button', class: 'secondary' }, t('sendCode'));
  sendCode.addEventListener('click', () => {
    if (!emailInput.reportValidity() || emailInput.value === '') return emailInput.focus();
    sendCode.disabled = true;
    requestCode({ id: link.id, lookupTag: link.lookupTag, email: emailInput.value.trim() })
      .then(() => {
        codeHint.textContent = t('codeHint');
        codeInput.focus();
      })
      .catch((e: unknown) => (error.textContent = e instanceof ApiError && e.appCode === 'RATE_LIMITED' ? t('rateLimited', { s: Number(e.details.retryAfterSeconds ?? 60) }) : t(errorKey(e))))
      .finally(() => (sendCode.disabled = false));
  });

  const submit = h('button', { type: 'submit' }, t('reveal'));
  const working = h('p', { class: 'muted', role: 'status' });
  const form = h(
    'form',
    { class: 'card', novalidate: true },
    info.restricted
      ? h('div', {}, h('p', { id: 'email-hint' }, t('emailHint')), h('label', { for: 'email' }, t('emailLabel')), emailInput,
          h('div', { class: 'actions' }, sendCode), codeHint, h('label', { for: 'code' }, t('codeLabel')), codeInput)
      : null,
    needsSecret
      ? h('div', {}, h('label', { for: 'secret' }, t(isPin ? 'pinLabel' : 'passphraseLabel')), secretInput,
          h('p', { id: 'secret-hint', class: 'muted' }, t(isPin ? 'pinHint' : 'passphraseHint')), attempts)
      : h('p', { id: 'secret-hint', class: 'muted' }, t('noneHint')),
    error,
    h('div', { class: 'actions' }, submit),
    working,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (needsSecret && secretInput.value === '') return secretInput.focus();
    submit.disabled = true;
    error.textContent = '';
    working.textContent = t('working');
    void unlock(link, info, meta, needsSecret ? secretInput.value : null, info.restricted && emailInput.value.trim() && codeInput.value.trim() ? { email: emailInput.value.trim(), code: codeInput.value.trim() } : undefined)
      .catch((e: unknown) => {
        if (!(e instanceof ApiError)) return void (error.textContent = t(errorKey(e)));
        if (e.appCode === 'NOT_FOUND') return refusedView();
        if (e.details.destroyed === true) return destroyedView(info.protection);
        if (e.appCode === 'WRONG_PASSWORD') {
          attemptsLeft = typeof e.details.attemptsLeft === 'number' ? e.details.attemptsLeft : attemptsLeft;
          setAttempts();
          error.textContent = t(isPin ? 'wrongPin' : 'wrongPassphrase');
          secretInput.value = '';
          secretInput.focus();
          return;
        }
        if (e.appCode === 'FORBIDDEN') {
          error.textContent = t('codeWrong');
          return (info.restricted ? codeInput : submit).focus();
        }
        error.textContent = e.appCode === 'RATE_LIMITED' ? t('rateLimited', { s: Number(e.details.retryAfterSeconds ?? 60) }) : t(errorKey(e));
      })
      .finally(() => {
        submit.disabled = false;
        working.textContent = '';
      });
  });

  document.title = meta.title;
  const expires = new Date(info.expiresAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  show(
    [
      h('h1', {}, meta.title),
      h('p', { id: 'sender' }, t('from', { sender: senderText(meta.senderName, info.sender) })),
      h('p', { class: 'muted' }, t('expires', { time: expires }), ' · ', t('entries', { n: meta.entryCount })),
      form,
    ],
    info.restricted ? emailInput : needsSecret ? secretInput : submit,
  );
  // When the field is ready to type in, as the page itself sees it (the benchmark reads this).
  performance.mark('latchkey-pickup-ready');
}

async function unlock(link: Link, info: Metadata, meta: LinkMeta, pin: string | null, emailCode?: { email: string; code: string }): Promise<void> {
  const { proof, pinKey } = await linkRevealProof({ id: link.id, secret: link.secret, protection: info.protection, kdf: info.kdf, pin });
  const answer = await reveal({ id: link.id, lookupTag: link.lookupTag, proof, ...(emailCode ? { emailCode } : {}) });
  const payload = openLinkPayloadWith({ id: link.id, secret: link.secret, pinKey, serverShare: answer.serverShare, payload: answer.payload });
  pinKey.fill(0);
  const { revealedView } = await import('./entries.ts');
  document.title = meta.title;
  show(revealedView(link.id, meta.title, payload));
}

async function start(): Promise<void> {
  document.title = t('pageTitle');
  const id = location.pathname.slice('/l/'.length);
  let link: Link;
  try {
    if (!LINK_ID_PATTERN.test(id)) throw new TypeError();
    const secret = parseLinkSecret(location.hash);
    link = { id, secret, lookupTag: linkLookupTagOf(secret, id) };
  } catch {
    return refusedView('damaged');
  }
  let info: Metadata;
  try {
    info = await metadata({ id: link.id, lookupTag: link.lookupTag });
  } catch (e) {
    if (e instanceof ApiError && e.appCode === 'RATE_LIMITED') return refusedView('rateLimited', 'refusedTitle', { s: Number(e.details.retryAfterSeconds ?? 60) });
    return e instanceof ApiError && e.appCode === 'NOT_FOUND' ? refusedView() : refusedView(errorKey(e));
  }
  let meta: LinkMeta;
  try {
    meta = openLinkMetaWith(link.secret, link.id, info.meta);
  } catch {
    return refusedView('damaged');
  }
  formView(link, info, meta);
}

void start();
