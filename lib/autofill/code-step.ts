// The one-time-code step of a login: the field a site asks the code from an authenticator app in.
// It is the field marked autocomplete="one-time-code", or else the one text field of its form (or
// of the few elements around it) whose name, label or placeholder says it is a code of 6 to 8
// digits. A card's security code, a search box or a form with more fields is never one.
import { attr, contains, formOf, parentOf } from './dom';
import { isCardCode, type FieldDesc } from './signals';

export interface CodeCandidate {
  el: HTMLInputElement;
  d: FieldDesc;
}

const CODE_TYPES = new Set(['text', 'tel', 'number']);
/** Words for an authenticator code; "code" alone needs the length of one as well. */
const STRONG = /one ?time|\botp\b|totp|\b2fa\b|\bmfa\b|two ?factor|authenticator|verification code|auth(entication)? code|security code|sicherheitscode|bestätigungscode|code de (vérification|sécurité)|código de verificación|код подтверждения|認証コード|验证码|인증 ?코드/;
const CODE = /\bcode\b|\btoken\b|\bpin\b/;
/**
 * "Two-step" names the login as much as its code: sites style the e-mail field of a login in two
 * steps "twoStep-input" (cvs.com). It counts only with "code" or the size of one.
 */
const STEP = /\b2 ?step|two ?step/;

function maxDigits(el: HTMLInputElement): number {
  const max = el.maxLength;
  return max > 0 ? max : 0;
}

/** Whether a field is an authenticator-code field by its own attributes. */
export function isCodeField(el: HTMLInputElement, d: FieldDesc): boolean {
  if (!CODE_TYPES.has(d.type) || d.readOnly) return false;
  if (/(^|\s)one-time-code(\s|$)/.test(d.ac)) return true;
  if (isCardCode(d) && !STRONG.test(d.hints)) return false;
  const words = `${d.hints} ${d.label}`;
  const max = maxDigits(el);
  const sized = max >= 6 && max <= 8;
  if (STRONG.test(words)) return max === 0 || sized || max === 10;
  if (STEP.test(words) && (CODE.test(words) || sized)) return true;
  return CODE.test(words) && sized && (attr(el, 'inputmode') === 'numeric' || d.type !== 'text' || /\d/.test(attr(el, 'pattern')));
}

/** The element a code field's step is made of: its form, else a few ancestors up. */
function stepOf(el: HTMLInputElement): Element {
  const form = formOf(el);
  if (form) return form;
  let n: Element = el;
  for (let i = 0; i < 3; i++) n = parentOf(n) ?? n;
  return n;
}

/**
 * The code field of the frame, if it is a one-time-code step: one code field, and no other text
 * field one would type into beside it (split "one box per digit" inputs are left to the person).
 */
export function findCodeField<F extends CodeCandidate>(fields: F[], visible: (f: F) => boolean): F | undefined {
  const codes = fields.filter((f) => isCodeField(f.el, f.d) && visible(f));
  if (codes.length !== 1) return undefined;
  const code = codes[0]!;
  const step = stepOf(code.el);
  const others = fields.filter((f) => f !== code && contains(step, f.el) && visible(f) && !f.d.readOnly);
  return others.length === 0 ? code : undefined;
}
