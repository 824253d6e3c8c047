// The login kinds of form and what an order carries for each: shared by the background's policy and
// the content script's core (which must not pull in policy.ts and its Public Suffix List).
import type { FillKind, FormKindReport, LoginKind } from '../messages/autofill-protocol';

export const LOGIN_KINDS: readonly LoginKind[] = ['login', 'password', 'username'];

export const isLoginKind = (kind: FormKindReport): kind is LoginKind => kind === 'login' || kind === 'password' || kind === 'username';

/** A login kind, or the one-time-code step: what a claim may be answered with a fill for. */
export const isFillKind = (kind: FormKindReport): kind is FillKind => isLoginKind(kind) || kind === 'otp';

/** Which fields an order carries for a form kind: a username step gets no password, and the reverse. */
export function fieldsFor(kind: FormKindReport, entry: { username: string; password: string }): { username?: string; password?: string } {
  if (kind === 'username') return { username: entry.username };
  if (kind === 'password') return { password: entry.password };
  if (kind === 'login') return { username: entry.username, password: entry.password };
  return {};
}
