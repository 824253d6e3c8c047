import { describe, expect, it } from 'vitest';
import {
  classifyGroup,
  classifyUsernameStep,
  isCurrentPassword,
  isNewPassword,
  isPasswordField,
  tokens,
  usernameScore,
  type FieldDesc,
  type GroupDesc,
} from '../../../lib/autofill/signals';

/** A field as scan.ts would describe it. */
function field(type: string, name = '', extra: Partial<FieldDesc> = {}): FieldDesc {
  return { type, name: name.toLowerCase(), ac: '', hints: tokens(name), label: '', readOnly: false, ...extra };
}
const group = (fields: FieldDesc[], text = '', pageText = '', extras = 0, blurb = ''): GroupDesc => ({ fields, text, pageText, extras, blurb });

const user = field('text', 'username');
const email = field('email', 'email');
const pw = field('password', 'password');

describe('fields', () => {
  it('splits names into words', () => {
    expect(tokens('loginEmail_field[user]')).toBe('login email field user ');
  });

  it('knows password fields, shown ones (type=text) included', () => {
    expect(isPasswordField(pw)).toBe(true);
    expect(isPasswordField(field('text', 'password'))).toBe(true);
    expect(isPasswordField(field('text', 'p'))).toBe(true);
    expect(isPasswordField(field('text', 'txtSenha'))).toBe(true);
    expect(isPasswordField(field('text', 'x', { ac: 'current-password' }))).toBe(true);
    expect(isPasswordField(field('tel', 'pin'))).toBe(true);
  });

  it('does not take usernames, recovery or captcha fields for passwords', () => {
    expect(isPasswordField(user)).toBe(false);
    expect(isPasswordField(email)).toBe(false);
    expect(isPasswordField(field('email', 'password'))).toBe(false);
    expect(isPasswordField(field('text', 'password_recovery_captcha_guess'))).toBe(false);
    expect(isPasswordField(field('text', 'user_password_hint'))).toBe(false);
    expect(isPasswordField(field('text', 'passport'))).toBe(false);
    expect(isPasswordField(field('checkbox', 'password'))).toBe(false);
  });

  it('tells new and current passwords apart', () => {
    expect(isNewPassword(field('password', 'x', { ac: 'new-password' }))).toBe(true);
    expect(isNewPassword(field('password', 'confirmPassword'))).toBe(true);
    expect(isNewPassword(field('password', 'password_repeat'))).toBe(true);
    expect(isNewPassword(field('password', 'x', { label: 'passwort wiederholen' }))).toBe(true);
    expect(isNewPassword(field('password', 'new', { ac: 'current-password' }))).toBe(false);
    expect(isCurrentPassword(field('password', 'oldPassword'))).toBe(true);
    expect(isCurrentPassword(field('password', 'x', { label: 'current password' }))).toBe(true);
    expect(isCurrentPassword(field('password', 'x', { label: 'aktuelles passwort' }))).toBe(true);
    expect(isCurrentPassword(pw)).toBe(false);
  });

  it('scores usernames: autocomplete and type first, names next, search and codes never', () => {
    expect(usernameScore(field('text', 'x', { ac: 'username' }))).toBeGreaterThanOrEqual(5);
    expect(usernameScore(email)).toBeGreaterThanOrEqual(3);
    expect(usernameScore(field('text', 'loginId'))).toBeGreaterThanOrEqual(3);
    expect(usernameScore(field('text', 'x', { label: 'ユーザーid' }))).toBeGreaterThanOrEqual(3);
    expect(usernameScore(field('text', 'q'))).toBe(0);
    expect(usernameScore(field('search', 'q'))).toBeLessThan(0);
    expect(usernameScore(field('text', 'captcha'))).toBeLessThan(0);
    expect(usernameScore(field('text', 'otp_code'))).toBeLessThan(0);
    expect(usernameScore(field('text', 'city'))).toBeLessThan(0);
    expect(usernameScore(field('text', 'username', { readOnly: true }))).toBeLessThan(0);
    expect(usernameScore(field('search', 'accountNumber'))).toBeGreaterThanOrEqual(0);
  });
});

describe('classifyGroup', () => {
  it('username + password is a login', () => {
    expect(classifyGroup(group([user, pw]))).toEqual({ kind: 'login', username: 0, password: 1, newPasswords: [] });
    expect(classifyGroup(group([email, pw], 'sign in'))).toMatchObject({ kind: 'login', username: 0, password: 1 });
  });

  it('a password alone is a login step without username', () => {
    expect(classifyGroup(group([pw]))).toEqual({ kind: 'login', username: -1, password: 0, newPasswords: [] });
  });

  it('prefers a field named like a username over a closer plain one', () => {
    const middle = field('text', 'middle_field');
    expect(classifyGroup(group([user, middle, pw]))).toMatchObject({ kind: 'login', username: 0 });
    const search = field('text', 'search');
    expect(classifyGroup(group([search, user, pw]))).toMatchObject({ username: 1 });
  });

  it('of two e-mail fields before the password, takes the first (the account), not the second copy', () => {
    const first = field('email', 'determine_email');
    const second = field('email', 'user[email]');
    expect(classifyGroup(group([first, second, pw], 'log in'))).toMatchObject({ kind: 'login', username: 0, password: 2 });
  });

  it('never takes a search box or a read-only field for the username', () => {
    expect(classifyGroup(group([field('search', 'q'), pw]))).toMatchObject({ username: -1 });
    expect(classifyGroup(group([user, field('text', 'org', { readOnly: true }), pw]))).toMatchObject({ username: 0 });
  });

  it('password + confirm is a sign-up; current + new + confirm a change', () => {
    const confirm = field('password', 'confirm_password');
    expect(classifyGroup(group([email, pw, confirm]))).toMatchObject({ kind: 'signup', password: -1, newPasswords: [1, 2] });
    const current = field('password', 'current', { ac: 'current-password' });
    const next = field('password', 'new', { ac: 'new-password' });
    expect(classifyGroup(group([current, next, confirm]))).toMatchObject({ kind: 'change-password', password: 0, newPasswords: [1, 2] });
    // Order does not matter: new, repeat, old.
    expect(classifyGroup(group([field('password', 'New password'), field('password', 'Repeat password'), field('password', 'Old password')]))).toMatchObject({
      kind: 'change-password',
      password: 2,
    });
  });

  it('new + confirm without a username is a reset (change), with one a sign-up', () => {
    const a = field('password', 'newPassword', { ac: 'new-password' });
    const b = field('password', 'newPasswordRetype', { ac: 'new-password' });
    expect(classifyGroup(group([a, b])).kind).toBe('change-password');
    expect(classifyGroup(group([user, a, b])).kind).toBe('signup');
  });

  it('password + PIN (two unrelated password fields) stays a login', () => {
    expect(classifyGroup(group([user, field('text', 'city'), pw, field('password', 'pin')]))).toMatchObject({ kind: 'login', username: 0, password: 2 });
  });

  it('one new-password field is a sign-up', () => {
    expect(classifyGroup(group([email, field('password', 'password', { ac: 'new-password' })]))).toMatchObject({ kind: 'signup', newPasswords: [1] });
  });

  it('a lone "current password" is a change step, not a login', () => {
    expect(classifyGroup(group([field('password', 'x', { ac: 'current-password', label: 'current password' })])).kind).toBe('change-password');
  });

  it('sign-up wording, extra fields or password rules make a one-password form a sign-up', () => {
    expect(classifyGroup(group([email, pw], 'create account')).kind).toBe('signup');
    expect(classifyGroup(group([field('text', 'e'), field('password', 'p')], 'submit', 'ambiguous account creation form')).kind).toBe('signup');
    expect(classifyGroup(group([email, pw], '', '', 2)).kind).toBe('signup');
    expect(classifyGroup(group([pw], '', '', 0, "you'll need a password. make sure it's 6 characters or more.")).kind).toBe('signup');
    // "Log in" outweighs a form's internal names.
    expect(classifyGroup(group([email, pw], 'signup form', 'log in | site')).kind).toBe('login');
    expect(classifyGroup(group([email, pw], 'sign in')).kind).toBe('login');
  });
});

describe('classifyUsernameStep', () => {
  const next = 'next';
  it('an identifier field with Next or sign-in wording is a first step', () => {
    expect(classifyUsernameStep(group([field('text', 'username', { ac: 'username' })], next))).toBe(0);
    expect(classifyUsernameStep(group([field('email', 'loginfmt')], 'next', 'sign in to your account'))).toBe(0);
    expect(classifyUsernameStep(group([email], 'continue', 'cvs - sign in or create an account'))).toBe(0);
    expect(classifyUsernameStep(group([field('text', 'username')], 'form submit'))).toBe(0);
  });

  it('"Create account" beside a username field does not stop it', () => {
    expect(classifyUsernameStep(group([field('text', 'resolving_input', { hints: 'resolving input aws signin' })], 'next create a new account'))).toBe(0);
  });

  it('newsletters, searches, resets and sign-ups are not', () => {
    expect(classifyUsernameStep(group([email], 'subscribe'))).toBe(-1);
    expect(classifyUsernameStep(group([field('email', 'contact')], 'notify me'))).toBe(-1);
    expect(classifyUsernameStep(group([email], 'next', 'forgot your password?'))).toBe(-1);
    expect(classifyUsernameStep(group([field('text', 'username', { ac: 'email tel' })], 'find account', 'reset password'))).toBe(-1);
    expect(classifyUsernameStep(group([email], 'sign up'))).toBe(-1);
    expect(classifyUsernameStep(group([field('search', 'q')], 'search'))).toBe(-1);
    expect(classifyUsernameStep(group([field('text', 'input-3', { ac: 'off' })], 'verify', 'enter your security code'))).toBe(-1);
  });

  it('a form with several text fields is not an identifier step', () => {
    expect(classifyUsernameStep(group([field('text', 'first'), field('text', 'last'), email], 'next'))).toBe(-1);
  });
});

describe('issue 11', () => {
  it('a text field is a password field by its name, not by an id it kept (item 18)', () => {
    // A password field turned into a comment box: name "comment", id still "password".
    const comment = field('text', 'comment', { hints: tokens('comment password'), byName: tokens('comment Leave us a comment') });
    expect(isPasswordField(comment)).toBe(false);
    // A shown password still counts: by its name, by what it says to the person, or by its id when it has no name.
    expect(isPasswordField(field('text', 'password'))).toBe(true);
    expect(isPasswordField(field('text', 'f2', { hints: tokens('f2 f2 Password'), byName: tokens('f2 Password') }))).toBe(true);
    expect(isPasswordField(field('tel', 'pinid', { hints: tokens('pinID pinID secured') }))).toBe(true);
  });

  it('one current-password field is a login step, whatever its id says (item 20)', () => {
    const step = field('password', 'current-password', { ac: 'current-password', shown: '', label: 'password' });
    expect(classifyGroup(group([step], 'sign in', 'enter your password'))).toMatchObject({ kind: 'login', password: 0 });
    expect(classifyGroup(group([field('password', 'currentPassword', { ac: 'current-password', shown: '' })]))).toMatchObject({ kind: 'login', password: 0 });
    // A label that says "current password" is still a change step (see above).
    expect(classifyGroup(group([field('password', 'x', { ac: 'current-password', label: 'current password' })])).kind).toBe('change-password');
  });

  it('a card security code is not a password field, and a checkout is no login step (item 22)', () => {
    expect(isPasswordField(field('password', 'cvc', { ac: 'cc-csc' }))).toBe(false);
    expect(isPasswordField(field('password', 'x', { ac: 'cc-csc' }))).toBe(false);
    expect(isPasswordField(field('password', 'card_cvv'))).toBe(false);
    expect(isPasswordField(field('password', 'securityCode'))).toBe(false);
    expect(isPasswordField(field('password', 'f3', { label: 'security code (3 digits on the back)' }))).toBe(false);
    expect(isPasswordField(field('password', 'cardNumber'))).toBe(false);
    // A bank or library login with a card number keeps its password or PIN.
    expect(isPasswordField(field('password', 'pin'))).toBe(true);
    expect(isPasswordField(field('password', 'cardPassword'))).toBe(true);
    const checkout = [field('email', 'receipt_email', { ac: 'email' }), field('text', 'cc-number', { ac: 'cc-number' }), field('text', 'exp', { ac: 'cc-exp' })];
    expect(classifyUsernameStep(group(checkout, 'continue', 'sign in or check out'))).toBe(-1);
    expect(classifyUsernameStep(group([email, field('password', 'cvv')], 'continue', 'sign in'))).toBe(-1);
    // A card number as the username of a login step is still one.
    expect(classifyUsernameStep(group([field('text', 'cardNumber', { ac: 'username', label: 'library card number' })], 'sign in'))).toBe(0);
  });
});
