// Messages between connected people (DESIGN.md "Messages", SECURITY.md 24): the payload is
// encrypted with a fresh message key; that key is sealed to the recipient's pinned X25519 key and
// to the sender's own (so the Sent log opens), and the sender signs a statement naming the
// message, both people, the recipient's key, the payload and a commitment to the message key.
// Layout: version (1) | algorithm (1) | recipient box key (32) | signature (64) |
// u32 length + sealed key for the recipient | u32 length + sealed key for the sender | payload.

import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { AppError } from '../errors';
import { t } from '../i18n';
import { associatedData } from './ad';
import { open, seal } from './aead';
import { concatBytes, equalBytes, utf8 } from './encoding';
import { generateKey } from './keys';
import { openSealed, sealTo } from './seal';
import { sign, verify } from './sign';

export const MESSAGE_VERSION = 1;
export const ALG_MESSAGE_V1 = 1;

const KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;
const HEAD_BYTES = 2 + KEY_BYTES + SIGNATURE_BYTES;
const STATEMENT_DOMAIN = 'latchkey message statement v1';
const COMMIT_INFO = utf8('latchkey message key commitment v1');

export interface MessageParties {
  /** The message's id (chosen by the sender, bound into every part). */
  id: string;
  senderId: string;
  recipientId: string;
}

export interface SealMessageInput extends MessageParties {
  plaintext: Uint8Array;
  /** The recipient's pinned X25519 key: never the one the server just sent, unless it is pinned. */
  recipientBoxKey: Uint8Array;
  senderBoxKey: Uint8Array;
  senderSigningKey: Uint8Array;
}

export interface OpenMessageInput extends MessageParties {
  sealed: Uint8Array;
  /** Who is opening: 'recipient' (the inbox) or 'sender' (the Sent log). */
  as: 'recipient' | 'sender';
  /** The opener's X25519 key pair. */
  boxPrivateKey: Uint8Array;
  boxPublicKey: Uint8Array;
  /** The sender's signing key as pinned by the opener (their own key for the Sent log). */
  senderSigningKey: Uint8Array;
}

function unverified(): AppError {
  return new AppError('DECRYPT_FAILED', t('messageErrorUnverified'));
}

function lengthPrefixed(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const n = bytes.length;
  return concatBytes(Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff), bytes);
}

function keyAd(parties: MessageParties, side: 'recipient' | 'sender'): Uint8Array {
  return associatedData({ kind: 'message-key', id: parties.id, field: side, container: side === 'recipient' ? parties.recipientId : parties.senderId });
}

function payloadAd(parties: MessageParties): Uint8Array {
  return associatedData({ kind: 'message-copy', id: parties.id });
}

/** What the sender signs: every part of the message, and a commitment so it names one message key only. */
function statement(parties: MessageParties, parts: Omit<Parts, 'signature'>, messageKey: Uint8Array): Uint8Array<ArrayBuffer> {
  return concatBytes(
    lengthPrefixed(utf8(STATEMENT_DOMAIN)),
    lengthPrefixed(utf8(parties.id)),
    lengthPrefixed(utf8(parties.senderId)),
    lengthPrefixed(utf8(parties.recipientId)),
    parts.recipientBoxKey,
    sha256(parts.forRecipient),
    sha256(parts.forSender),
    sha256(parts.payload),
    hmac(sha256, messageKey, COMMIT_INFO),
  );
}

/** Seals `plaintext` to the recipient (and to the sender's own key) and signs it. */
export function sealMessage(input: SealMessageInput): Uint8Array<ArrayBuffer> {
  const { recipientBoxKey, senderBoxKey, senderSigningKey } = input;
  for (const k of [recipientBoxKey, senderBoxKey, senderSigningKey]) {
    if (!(k instanceof Uint8Array) || k.length !== KEY_BYTES) throw new AppError('BAD_INPUT', t('errorPublicKeysLength'));
  }
  const parties: MessageParties = { id: input.id, senderId: input.senderId, recipientId: input.recipientId };
  const messageKey = generateKey();
  try {
    const payload = seal(messageKey, input.plaintext, payloadAd(parties));
    const forRecipient = sealTo(recipientBoxKey, messageKey, keyAd(parties, 'recipient'));
    const forSender = sealTo(senderBoxKey, messageKey, keyAd(parties, 'sender'));
    const signature = sign(senderSigningKey, statement(parties, { recipientBoxKey, forRecipient, forSender, payload }, messageKey));
    return concatBytes(Uint8Array.of(MESSAGE_VERSION, ALG_MESSAGE_V1), recipientBoxKey, signature, lengthPrefixed(forRecipient), lengthPrefixed(forSender), payload);
  } finally {
    messageKey.fill(0);
  }
}

interface Parts {
  recipientBoxKey: Uint8Array;
  signature: Uint8Array;
  forRecipient: Uint8Array;
  forSender: Uint8Array;
  payload: Uint8Array;
}

function split(sealed: Uint8Array): Parts {
  if (!(sealed instanceof Uint8Array) || sealed.length < HEAD_BYTES + 8) throw unverified();
  if (sealed[0] !== MESSAGE_VERSION || sealed[1] !== ALG_MESSAGE_V1) throw unverified();
  let at = HEAD_BYTES;
  const take = (): Uint8Array => {
    if (at + 4 > sealed.length) throw unverified();
    const n = ((sealed[at]! << 24) | (sealed[at + 1]! << 16) | (sealed[at + 2]! << 8) | sealed[at + 3]!) >>> 0;
    at += 4;
    if (at + n > sealed.length) throw unverified();
    const part = sealed.subarray(at, at + n);
    at += n;
    return part;
  };
  const forRecipient = take();
  const forSender = take();
  return {
    recipientBoxKey: sealed.subarray(2, 2 + KEY_BYTES),
    signature: sealed.subarray(2 + KEY_BYTES, HEAD_BYTES),
    forRecipient,
    forSender,
    payload: sealed.subarray(at),
  };
}

/**
 * Opens a message and checks the sender's signature against the pinned key. Throws AppError
 * DECRYPT_FAILED ("could not be verified") on any change, a wrong key, or another signer.
 */
export function openMessage(input: OpenMessageInput): Uint8Array<ArrayBuffer> {
  const parties: MessageParties = { id: input.id, senderId: input.senderId, recipientId: input.recipientId };
  const parts = split(input.sealed);
  // The recipient checks the message was sealed to their own key, not one the server slipped in.
  if (input.as === 'recipient' && !equalBytes(parts.recipientBoxKey, input.boxPublicKey)) throw unverified();
  let messageKey: Uint8Array;
  try {
    messageKey = openSealed(input.boxPrivateKey, input.as === 'recipient' ? parts.forRecipient : parts.forSender, keyAd(parties, input.as));
  } catch {
    throw unverified();
  }
  try {
    if (messageKey.length !== KEY_BYTES) throw unverified();
    if (!verify(input.senderSigningKey, statement(parties, parts, messageKey), parts.signature)) throw unverified();
    try {
      return open(messageKey, parts.payload, payloadAd(parties));
    } catch {
      throw unverified();
    }
  } finally {
    messageKey.fill(0);
  }
}
