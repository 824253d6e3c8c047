// What a field or a form is, judged from plain descriptors (attributes, labels, nearby text).
// Pure and DOM-free so the rules are unit-tested without a browser; lib/autofill/scan.ts feeds it.
// Keyword lists cover the languages of the sites people use most; they are hints, never the only
// signal (input types and autocomplete tokens come first).

export interface FieldDesc {
  /** input.type as the browser reports it (lower case; '' never happens: the default is 'text'). */
  type: string;
  /** Last segment of the name attribute (or of the id when there is no name): "user[password]" -> "password". */
  name: string;
  /** The autocomplete attribute, lower case. */
  ac: string;
  /** name, id, class, placeholder, aria-label, title: tokenised, lower case ("loginEmail" -> "login email"). */
  hints: string;
  /** Text of the field's labels (for=, wrapping label, aria-labelledby), lower case. */
  label: string;
  /**
   * What the field says to a person (placeholder, aria-label, title), tokenised; undefined means
   * "the same as hints". Unlike the id or class, the page cannot keep it from the person.
   */
  shown?: string;
  /**
   * hints without the id where the field has a name of its own (the name says what the field is
   * now; an id is often left over); undefined means "the same as hints".
   */
  byName?: string;
  readOnly: boolean;
}

export type FormKind = 'login' | 'signup' | 'change-password';

export interface GroupDesc {
  /** Fields of the group in document order (visible, fillable ones only). */
  fields: FieldDesc[];
  /** Text that names the form: form id/name/action, button texts, headings inside it, lower case. */
  text: string;
  /** The document's title and its first heading, lower case. */
  pageText: string;
  /** Other visible fields that suggest a sign-up (checkbox for terms, date of birth, ...): counted by scan. */
  extras: number;
  /** The group's visible wording when it is short, lower case; '' otherwise. */
  blurb: string;
}

export interface GroupResult {
  kind: FormKind;
  /** Index into GroupDesc.fields, or -1. */
  username: number;
  /** The current password (login or change), or -1. */
  password: number;
  /** New-password fields (new, confirm), for the generator. */
  newPasswords: number[];
}

const TEXT_TYPES = new Set(['text', 'email', 'tel', 'search', 'number', 'url']);

export const tokens = (s: string): string =>
  s
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_\-.:[\]/]+/g, ' ')
    .toLowerCase();

// Word lists. Latin words are matched on token boundaries where that matters.
const USER =
  /user|login|logon|sign ?in|e ?mail|mail|account|acct|member|ident|phone|mobile|\btel\b|\bcust|client|\buid\b|\bnick|benutzer|nutzer|usuario|utilisateur|identifiant|courriel|utente|gebruiker|użytkownik|uzytkownik|логин|почт|пользоват|телефон|ユーザ|ログイン|メール|会員|アカウント|아이디|이메일|계정|账号|帳號|帐号|用户|邮箱|手机|電子|kimlik|kullanıcı|e-posta|ایمیل|کاربر|شناسه|البريد|المستخدم|الجوال/;
const USER_EXACT = /^(id|u|un|e|uname|userid|nick)$/;
const PASS =
  /password|passwd|passwort|passcode|\bpass\b|\bpwd|\bpw\b|\bpin\b|\bpsw|pswd|secret|senha|contrase|mot de passe|kennwort|wachtwoord|parol|hasło|haslo|heslo|şifre|sifre|пароль|パスワード|暗証|密码|密碼|비밀번호|كلمة|رمز|گذرواژه/;
const PASS_EXACT = /^(p|pw|pwd|pass|passwd|pin|credentials?)$/;
const NEW =
  /\bnew|confirm|repeat|retype|re ?enter|again|verif|second|twice|create|choose|\bneu|wiederhol|bestätig|nouveau|nouvelle|confirmer|nuev|confirma|repet|nuov|conferm|ripet|nieuw|bevestig|herhaal|nowe|powtórz|новый|повтор|подтвер|新しい|確認|再入力|新密码|新密碼|确认|重复|再次|새 |확인|yeni|tekrar/;
const CURRENT =
  /current|\bold\b|existing|aktuell|derzeit|bisherig|\balt\b|actuel|ancien|antigu|attual|vecchi|huidig|\boud\b|obecne|текущ|старый|現在の|旧|当前|原密码|현재|기존|mevcut|eski/;
/** Fields that are never a username: search, codes, questions, captchas, address parts. */
const NOT_USER =
  /search|query|find|captcha|code|otp|token|2fa|one time|verif|security|question|answer|\bcity|\bzip|postal|street|(billing|shipping|home|street) address|address line|company|\borg|coupon|promo|gift|amount|qty|quantity|\bdate|birth|first ?name|last ?name|given|family|suche|recherche|buscar|cerca|zoeken|поиск|検索|搜索|검색|ara\b/;

export const LOGIN_WORDS =
  /log ?in|\bauth\b|sign ?in|signin|login|logon|log on|authenticat|anmeld|einlogg|connexion|connecter|identifi|iniciar|acceder|entrar|accedi|accesso|inloggen|zaloguj|logowanie|войти|вход|ログイン|サインイン|登录|登入|登錄|로그인|giriş|oturum|ورود|دخول/;
const SIGNUP_WORDS =
  /sign ?up|signup|regist|\bcreate\b|creation|\bjoin|new account|enrol|get started|konto erstellen|anlegen|inscri|créer|crear|cadastr|criar|iscriv|crea |załóż|zarejestr|регистрац|создать|新規|登録|注册|註冊|회원가입|가입|kaydol|üye ol|ثبت نام|تسجيل|إنشاء/;
const CHANGE_WORDS =
  /change|update|reset|ändern|aktualis|changer|modifier|cambiar|actualizar|alterar|cambia|wijzig|zmień|изменить|смен|変更|修改|更改|변경|değiştir/;
/** Context that makes a lone email/username field something other than a login step. */
const NOT_LOGIN_WORDS =
  /forgot|reset|recover|lost|trouble|find (your )?account|newsletter|subscri|search|coupon|promo|gift|track|vergessen|oublié|olvid|esquec|dimentic|забыл|восстанов|忘|찾기|abonn|suscri/;

/** Wording of password rules, shown when a password is being chosen. */
const RULES = /\d+ (or more )?(characters|chars|caracteres|caractères|zeichen|символ|文字|자)|characters or more|at least \d|password strength|strong password/;

export const isTextType = (f: FieldDesc) => TEXT_TYPES.has(f.type);

/**
 * Payment cards: the autocomplete tokens (cc-number, cc-csc, ...), the words for a card's security
 * code, and those for its number. A card code is often type=password; it is no login password.
 * A card number alone is not enough: banks and libraries log in with one (and a PIN).
 */
const CARD_AC = /(^|\s)cc-/;
const CARD_CODE =
  /\bcvc|\bcvv|\bcvn|\bcsc\b|\bcc (csc|cvc|cvv)|security code|card ?(code|verification|security)|kartenprüf|prüfnummer|cryptogramme|código de seguridad|codice di sicurezza|код безопасности|セキュリティコード|安全码|보안 ?코드/;
const CARD_NUMBER =
  /\bcc (number|num|no)\b|card ?(number|num|no)\b|cardnumber|credit ?card|debit ?card|kartennummer|numéro de (la )?carte|número de (la )?tarjeta|numero (della )?carta|kaartnummer|numer karty|номер карты|カード番号|卡号|카드 ?번호/;

/** A card's security code: by its autocomplete token or its words. */
export function isCardCode(f: FieldDesc): boolean {
  return /(^|\s)cc-csc/.test(f.ac) || CARD_CODE.test(f.hints) || (f.type === 'password' && CARD_CODE.test(f.label));
}

/** A field of a payment card: number, expiry, name on card or security code. */
export function isCardField(f: FieldDesc): boolean {
  return CARD_AC.test(f.ac) || isCardCode(f) || CARD_NUMBER.test(f.hints);
}

/** A field that holds a password: type=password, or a text field unmistakably named like one. */
export function isPasswordField(f: FieldDesc): boolean {
  if (f.type === 'password') return !CARD_AC.test(f.ac) && !isCardCode(f) && !(CARD_NUMBER.test(f.hints) && !PASS.test(f.hints));
  if (!isTextType(f) || f.type === 'email') return false;
  if (/password/.test(f.ac)) return true;
  if (CARD_AC.test(f.ac)) return false;
  // A shown password (type=text) still carries a password-like name; judge the name first.
  const key = tokens(f.name);
  if (PASS.test(key) || PASS_EXACT.test(f.name)) return !USER.test(key) && !/recover|hint|reset|forgot|captcha|question|strength/.test(key);
  // Attributes only: a label read per text field would cost a tree search on pages with thousands.
  // Not by an id its name contradicts: a page that turns its password field into a text field under
  // another name (a comment box) keeps the id it had, and that text field is not a password field.
  return !NOT_USER.test(f.hints) && !USER.test(f.hints) && PASS.test(f.byName ?? f.hints);
}

const nameOf = (f: FieldDesc) => f.name;

export function isNewPassword(f: FieldDesc): boolean {
  if (/new-password/.test(f.ac)) return true;
  if (/current-password/.test(f.ac)) return false;
  return NEW.test(`${f.hints} ${f.label}`);
}

export function isCurrentPassword(f: FieldDesc): boolean {
  return CURRENT.test(`${f.hints} ${f.label}`);
}

/** How much a text field looks like a username; below 0 means "not one". */
export function usernameScore(f: FieldDesc): number {
  if (!isTextType(f) || f.readOnly) return -99;
  const words = `${f.hints} ${f.label}`;
  let s = 0;
  if (/\b(username|email|tel)\b/.test(f.ac)) s += 5;
  if (f.type === 'email') s += 3;
  if (f.type === 'tel') s += 1;
  if (USER.test(words) || USER_EXACT.test(nameOf(f))) s += 3;
  if (NOT_USER.test(words)) s -= 6;
  if (f.type === 'search' && !USER.test(words)) s -= 4;
  if (f.type === 'number' || f.type === 'url') s -= 1;
  return s;
}

/** Decide what a group holding at least one password field is, and which fields to fill. */
export function classifyGroup(g: GroupDesc): GroupResult {
  const { fields } = g;
  const pw: number[] = [];
  fields.forEach((f, i) => {
    if (isPasswordField(f)) pw.push(i);
  });
  const result: GroupResult = { kind: 'login', username: -1, password: -1, newPasswords: [] };
  if (pw.length === 0) return result;

  const newish = pw.filter((i) => isNewPassword(fields[i]!) && !isCurrentPassword(fields[i]!));
  const current = pw.filter((i) => !newish.includes(i));
  const first = pw[0]!;
  const username = pickUsername(fields, first);
  result.username = username;

  if (pw.length >= 3 || (newish.length > 0 && pw.length >= 2) || (pw.length === 2 && sameStem(fields[pw[0]!]!, fields[pw[1]!]!))) {
    // Two or more passwords with a new one among them: sign-up (password + confirm) or change.
    const changing = current.length > 0 && (pw.length >= 3 || current.some((i) => isCurrentPassword(fields[i]!)));
    result.kind = changing || (username < 0 && !SIGNUP_WORDS.test(g.text + ' ' + g.pageText)) ? 'change-password' : 'signup';
    result.password = changing ? (current.find((i) => isCurrentPassword(fields[i]!)) ?? current[0]!) : -1;
    result.newPasswords = pw.filter((i) => i !== result.password);
    if (result.newPasswords.length === 0) result.newPasswords = pw;
    return result;
  }

  // One password (or two unrelated ones, such as password + PIN): login unless the form says otherwise.
  const p = fields[first]!;
  result.password = first;
  if (isNewPassword(p)) {
    result.kind = 'signup';
    result.newPasswords = [first];
    result.password = -1;
  } else if (/current-password/.test(p.ac) && !CURRENT.test(`${p.shown ?? ''} ${p.label}`)) {
    // The site says it outright: one current password is a login (or its password step), whatever
    // its id or name says ("current-password" is the id web.dev suggests for a login's password).
    // Only wording the person reads ("Current password") makes it a change step.
    result.kind = 'login';
  } else if (isCurrentPassword(p) || (username < 0 && CHANGE_WORDS.test(g.text) && /password|passwort|mot de passe|contrase|senha|пароль|パスワード|密码/.test(g.text + ' ' + g.pageText))) {
    result.kind = 'change-password';
  } else if (username < 0 && RULES.test(g.blurb)) {
    // "Make sure it's 8 characters or more": a new password is being chosen.
    result.kind = 'signup';
    result.newPasswords = [first];
    result.password = -1;
  } else if (looksLikeSignup(g, username)) {
    result.kind = 'signup';
    result.newPasswords = [first];
    result.password = -1;
  }
  return result;
}

function sameStem(a: FieldDesc, b: FieldDesc): boolean {
  const na = nameOf(a);
  const nb = nameOf(b);
  return na.length > 2 && na !== nb && na.replace(/\d+$/, '') === nb.replace(/\d+$/, '');
}

function pickUsername(fields: FieldDesc[], password: number): number {
  // The closest text field before the password, unless one a little further names a user.
  let best = -1;
  let bestScore = -Infinity;
  let distance = 0;
  for (let i = password - 1; i >= 0; i--) {
    const f = fields[i]!;
    if (isPasswordField(f)) break;
    const raw = usernameScore(f);
    if (raw <= -99) continue;
    const s = raw - distance * 0.5;
    distance++;
    if (raw >= 0 && s > bestScore) {
      best = i;
      bestScore = s;
    }
  }
  // Two e-mail fields before one password ("Email", then "Confirm email" or a second copy of the
  // step): the first is the account's address, the one a person types first.
  if (best >= 0 && fields[best]!.type === 'email') {
    for (let i = best - 1; i >= 0; i--) {
      const f = fields[i]!;
      if (isPasswordField(f)) break;
      if (f.type === 'email' && usernameScore(f) >= usernameScore(fields[best]!)) best = i;
    }
  }
  return best;
}

function looksLikeSignup(g: GroupDesc, username: number): boolean {
  const text = g.text;
  const login = LOGIN_WORDS.test(text);
  const signup = SIGNUP_WORDS.test(text);
  let score = (signup ? 2 : 0) - (login ? 2 : 0) + Math.min(g.extras, 3);
  // The page's title and heading: "Log in | Site" outweighs a form's internal names.
  const pageLogin = LOGIN_WORDS.test(g.pageText);
  const pageSignup = SIGNUP_WORDS.test(g.pageText);
  if (pageLogin !== pageSignup) score += pageSignup ? 2 : -2;
  // Many text fields besides the username (names, phone, address) mean registration.
  const others = g.fields.filter((f, i) => i !== username && isTextType(f) && !isPasswordField(f) && !f.readOnly).length;
  if (others >= 2) score += 1;
  return score >= 2;
}

/**
 * A form with no password field that is the first step of a login: one field that names a user,
 * in a form that says "sign in" or "next", and nothing that says newsletter, search or reset.
 * Returns the field index or -1.
 */
export function classifyUsernameStep(g: GroupDesc): number {
  // A checkout (a receipt e-mail beside the card's fields) is no login step.
  if (g.fields.some((f) => CARD_AC.test(f.ac) || isCardCode(f))) return -1;
  const candidates = g.fields.map((f, i) => ({ i, s: usernameScore(f) })).filter((c) => c.s >= 3);
  const textFields = g.fields.filter((f) => isTextType(f) && !f.readOnly);
  if (candidates.length === 0 || textFields.length > 2) return -1;
  const text = g.text;
  if (NOT_LOGIN_WORDS.test(text)) return -1;
  const pageSaysLogin = LOGIN_WORDS.test(g.pageText) && !NOT_LOGIN_WORDS.test(g.pageText);
  const formSaysLogin = LOGIN_WORDS.test(text);
  const next = /\bnext\b|continue|weiter|suivant|siguiente|continuar|avanti|volgende|dalej|далее|продолжить|次へ|下一步|다음|devam|ادامه|التالي/.test(text);
  const best = candidates.sort((a, b) => b.s - a.s)[0]!;
  const field = g.fields[best.i]!;
  // autocomplete=username, or a name that says user name or login, is the site telling us outright.
  const strong = /\busername\b/.test(field.ac) || /user ?name|login|logon|sign ?in|identifier|userid|user id|benutzer|usuario|utilisateur|identifiant/.test(field.hints + ' ' + field.label);
  const alone = textFields.length === 1;
  // "Create account" beside the field is common on identifier-first logins; alone it means sign-up.
  if (SIGNUP_WORDS.test(text) && !formSaysLogin && !strong) return -1;
  if (strong || formSaysLogin || (next && pageSaysLogin) || (alone && pageSaysLogin)) return best.i;
  return -1;
}
