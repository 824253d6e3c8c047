import { describe, expect, it } from 'vitest';
import { fromUtf8, generateIdentity, utf8 } from '../../../lib/crypto';
import { openMessage, sealMessage } from '../../../lib/crypto/message';
import { AppError } from '../../../lib/errors';

const ann = generateIdentity();
const bob = generateIdentity();
const eve = generateIdentity();
const parties = { id: 'm-0123456789abcdefghij', senderId: 'u-ann', recipientId: 'u-bob' };

function sealed(plaintext = 'copies and a note') {
  return sealMessage({
    ...parties,
    plaintext: utf8(plaintext),
    recipientBoxKey: bob.box.publicKey,
    senderBoxKey: ann.box.publicKey,
    senderSigningKey: ann.signing.privateKey,
  });
}

const asBob = (s: Uint8Array, over: Partial<Parameters<typeof openMessage>[0]> = {}) =>
  openMessage({ ...parties, sealed: s, as: 'recipient', boxPrivateKey: bob.box.privateKey, boxPublicKey: bob.box.publicKey, senderSigningKey: ann.signing.publicKey, ...over });

function refused(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return (e as AppError).code;
  }
  throw new Error('expected a refusal');
}

describe('messages: sealed to the recipient, signed by the sender', () => {
  it('opens for the recipient with the sender’s pinned key, and for the sender’s Sent log', () => {
    const s = sealed();
    expect(fromUtf8(asBob(s))).toBe('copies and a note');
    const own = openMessage({ ...parties, sealed: s, as: 'sender', boxPrivateKey: ann.box.privateKey, boxPublicKey: ann.box.publicKey, senderSigningKey: ann.signing.publicKey });
    expect(fromUtf8(own)).toBe('copies and a note');
  });

  it('does not open for a third person, nor the sender’s side with the recipient’s key', () => {
    const s = sealed();
    expect(refused(() => asBob(s, { boxPrivateKey: eve.box.privateKey, boxPublicKey: eve.box.publicKey }))).toBe('DECRYPT_FAILED');
    expect(refused(() => asBob(s, { boxPublicKey: bob.box.publicKey, boxPrivateKey: bob.box.privateKey, as: 'sender' }))).toBe('DECRYPT_FAILED');
  });

  it('refuses a message whose signer is not the pinned sender', () => {
    const forged = sealMessage({ ...parties, plaintext: utf8('from eve'), recipientBoxKey: bob.box.publicKey, senderBoxKey: eve.box.publicKey, senderSigningKey: eve.signing.privateKey });
    expect(refused(() => asBob(forged))).toBe('DECRYPT_FAILED');
    // Positive control: the same message opens when Eve's key is the one pinned.
    expect(fromUtf8(asBob(forged, { senderSigningKey: eve.signing.publicKey }))).toBe('from eve');
  });

  it('refuses every single-byte change', () => {
    const s = sealed('x'.repeat(40));
    for (let i = 0; i < s.length; i += 7) {
      const t = s.slice();
      t[i]! ^= 0x01;
      expect(refused(() => asBob(t))).toBe('DECRYPT_FAILED');
    }
    expect(refused(() => asBob(s.slice(0, s.length - 1)))).toBe('DECRYPT_FAILED');
  });

  it('is bound to its id and its two people', () => {
    const s = sealed();
    expect(refused(() => asBob(s, { id: 'm-other' }))).toBe('DECRYPT_FAILED');
    expect(refused(() => asBob(s, { senderId: 'u-eve' }))).toBe('DECRYPT_FAILED');
    expect(refused(() => asBob(s, { recipientId: 'u-eve' }))).toBe('DECRYPT_FAILED');
  });

  it('refuses a message sealed to another recipient key than the opener’s, even if the server relabels it', () => {
    const toEve = sealMessage({ ...parties, plaintext: utf8('x'), recipientBoxKey: eve.box.publicKey, senderBoxKey: ann.box.publicKey, senderSigningKey: ann.signing.privateKey });
    expect(refused(() => asBob(toEve))).toBe('DECRYPT_FAILED');
  });

  it('refuses keys of the wrong length before sealing anything', () => {
    expect(refused(() => sealMessage({ ...parties, plaintext: utf8('x'), recipientBoxKey: new Uint8Array(31), senderBoxKey: ann.box.publicKey, senderSigningKey: ann.signing.privateKey }))).toBe('BAD_INPUT');
  });
});
