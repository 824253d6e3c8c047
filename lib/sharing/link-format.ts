// The link-share format shared by the extension (which builds links) and the pick-up page (which
// opens them): the payload and meta schemas, the link URL, and the two halves of the key work
// (LINKS-API.md, DESIGN.md "Link-share keys"). Pure: no browser APIs, no i18n, and zod/mini rather
// than zod, because the pick-up page bundles this file and must stay small.

import * as z from 'zod/mini';
import { AppError } from '../errors';
import { fromBase64Url, fromUtf8, toBase64Url, utf8 } from '../crypto/encoding';
import { assertKdfParams, DEFAULT_KDF, type KdfParams } from '../crypto/kdf';
import {
  generateLinkSecret,
  LINK_SALT_BYTES,
  LINK_SECRET_BYTES,
  LINK_SERVER_SHARE_BYTES,
  linkLookupTag,
  linkMetaKey,
  linkPayloadKey,
  linkPinKey,
  linkProof,
  openLinkMeta,
  openLinkPayload,
  sealLinkMeta,
  sealLinkPayload,
} from '../crypto/link-share';
import { randomBytes } from '../crypto/random';

export const LINK_ID_BYTES = 16;
/** 16 bytes of base64url. */
export const LINK_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
export const LINK_MAX_ENTRIES = 50;
export const LINK_MAX_URLS = 50;
/** Characters per text field; the sealed payload as a whole is bounded by LINK_MAX_PAYLOAD_CHARS. */
export const LINK_MAX_FIELD_CHARS = 65536;
/** The sealed payload, as base64url text (256 KiB). */
export const LINK_MAX_PAYLOAD_CHARS = 256 * 1024;
/** The sealed meta, as base64url text. */
export const LINK_MAX_META_CHARS = 2048;
export const LINK_TITLE_MAX = 200;
export const LINK_SENDER_MAX = 100;

const text = () => z.string().check(z.maxLength(LINK_MAX_FIELD_CHARS));

/** One entry as it travels in a link: never its tags, folder or autologin settings. */
export const linkEntrySchema = z.strictObject({
  title: text(),
  username: text(),
  password: text(),
  urls: z.array(text()).check(z.maxLength(LINK_MAX_URLS)),
  notes: z.optional(text()),
  totp: z.optional(text()),
});
export type LinkEntry = z.infer<typeof linkEntrySchema>;

export const linkPayloadSchema = z.strictObject({
  v: z.literal(1),
  entries: z.array(linkEntrySchema).check(z.minLength(1), z.maxLength(LINK_MAX_ENTRIES)),
  createdAt: z.number().check(z.int(), z.nonnegative()),
});
export type LinkPayload = z.infer<typeof linkPayloadSchema>;

export const linkMetaSchema = z.strictObject({
  v: z.literal(1),
  title: z.string().check(z.minLength(1), z.maxLength(LINK_TITLE_MAX)),
  senderName: z.optional(z.string().check(z.maxLength(LINK_SENDER_MAX))),
  entryCount: z.number().check(z.int(), z.gte(1), z.lte(LINK_MAX_ENTRIES)),
});
export type LinkMeta = z.infer<typeof linkMetaSchema>;

export const LINK_PROTECTIONS = ['none', 'pin', 'passphrase'] as const;
export type LinkProtectionKind = (typeof LINK_PROTECTIONS)[number];

/** The Argon2id settings of a PIN or passphrase link, as the server stores and returns them. */
export interface LinkKdf {
  /** base64url, 16 bytes. */
  salt: string;
  memoryKib: number;
  passes: number;
  lanes: number;
}

export type LinkProtection =
  | { kind: 'none' }
  | { kind: 'pin'; pin: string }
  | { kind: 'passphrase'; passphrase: string };

/** What `links.create` takes, minus the options the dialog adds (uses, expiry, attempts, emails, records). */
export interface LinkCreateRequest {
  id: string;
  lookupTag: string;
  proof: string;
  serverShare: string;
  meta: string;
  payload: string;
  protection: LinkProtectionKind;
  kdf: LinkKdf | null;
}

function badLink(what: string): AppError {
  return new AppError('BAD_INPUT', `This link is damaged: ${what}. Copy the whole link again, or ask the sender for a new one.`);
}

/** A fresh link id (made by the client, LINKS-API.md). */
export function generateLinkId(): string {
  return toBase64Url(randomBytes(LINK_ID_BYTES));
}

/** `${origin}/l/${id}#${secret}`: the secret only ever in the fragment. */
export function linkUrl(serverOrigin: string, id: string, secret: Uint8Array): string {
  if (!LINK_ID_PATTERN.test(id)) throw badLink('its id is not valid');
  if (secret.length !== LINK_SECRET_BYTES) throw badLink('its secret part is missing or damaged');
  let origin: string;
  try {
    origin = new URL(serverOrigin).origin;
  } catch {
    throw new AppError('BAD_INPUT', `"${serverOrigin}" is not a server address Latchkey can put in a link.`);
  }
  if (origin === 'null') throw new AppError('BAD_INPUT', `"${serverOrigin}" is not a server address Latchkey can put in a link.`);
  return `${origin}/l/${id}#${toBase64Url(secret)}`;
}

/** The parts of a link URL, or a clear BAD_INPUT. */
export function parseLinkUrl(url: string): { origin: string; id: string; secret: Uint8Array<ArrayBuffer> } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badLink('it is not a web address');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw badLink('it is not a web address');
  const match = /^\/l\/([^/]+)$/.exec(parsed.pathname);
  if (!match || !LINK_ID_PATTERN.test(match[1]!)) throw badLink('its id is missing or not valid');
  const secret = parseLinkSecret(parsed.hash);
  return { origin: parsed.origin, id: match[1]!, secret };
}

/** The secret from a location hash (`#…`), or a clear BAD_INPUT. */
export function parseLinkSecret(hash: string): Uint8Array<ArrayBuffer> {
  const encoded = hash.startsWith('#') ? hash.slice(1) : hash;
  if (encoded.length === 0) throw badLink('its secret part (after #) is missing');
  let secret: Uint8Array<ArrayBuffer>;
  try {
    secret = fromBase64Url(encoded);
  } catch {
    throw badLink('its secret part is not valid');
  }
  if (secret.length !== LINK_SECRET_BYTES) throw badLink('its secret part is missing or damaged');
  return secret;
}

function kdfParams(kdf: LinkKdf): KdfParams {
  // assertKdfParams refuses anything below 64 MiB / 3 passes (SECURITY.md 25).
  return assertKdfParams({ algorithm: 'argon2id', memoryKiB: kdf.memoryKib, passes: kdf.passes, lanes: kdf.lanes });
}

function protectionSecret(protection: LinkProtection): string | null {
  switch (protection.kind) {
    case 'none':
      return null;
    case 'pin':
      if (!/^\d{5}$/.test(protection.pin)) throw new AppError('BAD_INPUT', 'A link PIN is five digits.');
      return protection.pin;
    case 'passphrase':
      if (protection.passphrase.trim().length === 0) throw new AppError('BAD_INPUT', 'Type a passphrase for this link.');
      return protection.passphrase;
  }
}

/**
 * Seal a new link: fresh id, secret, salt and server share; the lookup tag and the proof the
 * server will check; the sealed meta and payload. The server share goes only into the request
 * (the caller sends it and forgets it with the result).
 */
export async function buildLink(input: {
  entries: LinkEntry[];
  meta: { title: string; senderName?: string };
  protection: LinkProtection;
  kdf?: KdfParams;
  now?: number;
}): Promise<{ id: string; secret: Uint8Array<ArrayBuffer>; request: LinkCreateRequest }> {
  const payload: LinkPayload = { v: 1, entries: input.entries, createdAt: input.now ?? Date.now() };
  const meta: LinkMeta = { v: 1, title: input.meta.title, entryCount: input.entries.length };
  if (input.meta.senderName !== undefined && input.meta.senderName !== '') meta.senderName = input.meta.senderName;
  checkSchema(linkPayloadSchema, payload, 'the entries');
  checkSchema(linkMetaSchema, meta, 'the title or sender name');
  const pin = protectionSecret(input.protection);

  const id = generateLinkId();
  const secret = generateLinkSecret();
  const serverShare = randomBytes(LINK_SERVER_SHARE_BYTES);
  const salt = randomBytes(LINK_SALT_BYTES);
  const params = assertKdfParams(input.kdf ?? DEFAULT_KDF);
  const pinKey = await linkPinKey(pin, salt, params);

  const payloadKey = linkPayloadKey(secret, pinKey, serverShare, id);
  const sealedPayload = toBase64Url(sealLinkPayload(payloadKey, id, utf8(JSON.stringify(payload))));
  if (sealedPayload.length > LINK_MAX_PAYLOAD_CHARS) {
    throw new AppError('TOO_LARGE', 'These entries are too large for one link (256 KiB at most). Share fewer entries, or leave the notes out.');
  }
  const request: LinkCreateRequest = {
    id,
    lookupTag: toBase64Url(linkLookupTag(secret, id)),
    proof: toBase64Url(linkProof(secret, pinKey, id)),
    serverShare: toBase64Url(serverShare),
    meta: toBase64Url(sealLinkMeta(linkMetaKey(secret, id), id, utf8(JSON.stringify(meta)))),
    payload: sealedPayload,
    protection: input.protection.kind,
    kdf: pin === null ? null : { salt: toBase64Url(salt), memoryKib: params.memoryKiB, passes: params.passes, lanes: params.lanes },
  };
  pinKey.fill(0);
  payloadKey.fill(0);
  serverShare.fill(0);
  return { id, secret, request };
}

function checkSchema<T>(schema: z.ZodMiniType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
    throw new AppError('BAD_INPUT', `Latchkey cannot use ${what} of this link${where}: ${issue?.message ?? 'not valid'}.`);
  }
  return result.data;
}

/** The lookup tag the recipient sends with every call: proves the secret, spends nothing. */
export function linkLookupTagOf(secret: Uint8Array, id: string): string {
  return toBase64Url(linkLookupTag(secret, id));
}

/** The public part of a link, from the secret alone. */
export function openLinkMetaWith(secret: Uint8Array, id: string, sealedMeta: string): LinkMeta {
  let plain: string;
  try {
    plain = fromUtf8(openLinkMeta(linkMetaKey(secret, id), id, fromBase64Url(sealedMeta)));
  } catch {
    throw new AppError('DECRYPT_FAILED', 'This link does not open: its secret part does not match. Copy the whole link again.');
  }
  return checkSchema(linkMetaSchema, parseJson(plain), 'the title');
}

/**
 * The recipient's proof for a reveal, and the PIN key kept for opening the payload afterwards.
 * Refuses key-derivation settings weaker than the minimum, whatever the server sent.
 */
export async function linkRevealProof(input: {
  id: string;
  secret: Uint8Array;
  protection: LinkProtectionKind;
  kdf: LinkKdf | null;
  pin: string | null;
}): Promise<{ proof: string; pinKey: Uint8Array<ArrayBuffer> }> {
  let pinKey: Uint8Array<ArrayBuffer>;
  if (input.protection === 'none') {
    pinKey = await linkPinKey(null, new Uint8Array(LINK_SALT_BYTES), DEFAULT_KDF);
  } else {
    if (input.kdf === null) throw badLink('the server sent no key settings for its PIN');
    let salt: Uint8Array;
    try {
      salt = fromBase64Url(input.kdf.salt);
    } catch {
      throw badLink('the server sent damaged key settings');
    }
    pinKey = await linkPinKey(input.pin ?? '', salt, kdfParams(input.kdf));
  }
  return { proof: toBase64Url(linkProof(input.secret, pinKey, input.id)), pinKey };
}

/** The entries, from what a successful reveal returned. */
export function openLinkPayloadWith(input: {
  id: string;
  secret: Uint8Array;
  pinKey: Uint8Array;
  serverShare: string;
  payload: string;
}): LinkPayload {
  let plain: string;
  try {
    const share = fromBase64Url(input.serverShare);
    const key = linkPayloadKey(input.secret, input.pinKey, share, input.id);
    plain = fromUtf8(openLinkPayload(key, input.id, fromBase64Url(input.payload)));
    key.fill(0);
  } catch {
    throw new AppError('DECRYPT_FAILED', 'The shared entries could not be decrypted: the link or the server’s answer is damaged. Ask the sender for a new link.');
  }
  return checkSchema(linkPayloadSchema, parseJson(plain), 'the entries');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badLink('its content is not readable');
  }
}
