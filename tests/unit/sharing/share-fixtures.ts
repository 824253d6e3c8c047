// People and helpers for the share specs (not a spec itself).
import { expect } from 'vitest';
import { generateIdentity, toBase64Url, type Identity } from '../../../lib/crypto';
import { AppError, type ErrorCode } from '../../../lib/errors';
import { t, type MessageKey } from '../../../lib/i18n';
import { pin, type PinnedKeys } from '../../../lib/sharing/pins';
import type { NewMember } from '../../../lib/sharing/share-epoch';
import type { Me } from '../../../lib/sharing/share-verify';
import type { ShareRole } from '../../../lib/sharing/share-statements';

export interface Person extends Me {
  username: string;
  identity: Identity;
}

export function person(username: string): Person {
  return { userId: `u-${username}`, username, identity: generateIdentity() };
}

export function keysOf(p: Person): { boxPublicKey: string; signingPublicKey: string } {
  return { boxPublicKey: toBase64Url(p.identity.box.publicKey), signingPublicKey: toBase64Url(p.identity.signing.publicKey) };
}

export function pinned(p: Person): PinnedKeys {
  return pin({ userId: p.userId, username: p.username, ...keysOf(p) }, 1000);
}

export function pinsOf(...people: Person[]): Map<string, PinnedKeys> {
  return new Map(people.map((p) => [p.userId, pinned(p)]));
}

export function asNewMember(p: Person, role: ShareRole, expiresAt?: number): NewMember {
  return { userId: p.userId, role, ...keysOf(p), ...(expiresAt === undefined ? {} : { expiresAt }) };
}

/** Runs `fn`, expects the AppError with `code` and exactly the message of `key` (with `subs`). */
export function expectRefusal(fn: () => unknown, code: ErrorCode, key: MessageKey, ...subs: string[]): AppError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, `expected a refusal with ${key}`).toBeInstanceOf(AppError);
  const e = thrown as AppError;
  expect({ code: e.code, message: e.message }).toEqual({ code, message: t(key, ...subs) });
  return e;
}

/** A wire statement (base64url JSON) as an object, to change and re-encode in tests. */
export function unwire<T = Record<string, unknown>>(wire: string): T {
  return JSON.parse(Buffer.from(wire, 'base64url').toString('utf8')) as T;
}

export function wire(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
