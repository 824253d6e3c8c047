import { describe, expect, it } from 'vitest';
import { DEFAULT_KDF, equalBytes, randomBytes, utf8, fromUtf8 } from '../../../lib/crypto';
import {
  LINK_SECRET_BYTES,
  generateLinkPin,
  generateLinkSecret,
  linkLookupTag,
  linkPayloadKey,
  linkPinKey,
  linkProof,
  openLinkPayload,
  sealLinkPayload,
} from '../../../lib/crypto/link-share';

const linkId = 'l_4f9a2c71b0e8d3a6';
const salt = new Uint8Array(16).fill(7);

describe('link-share keys', () => {
  it('opens the payload with the secret, the right PIN and the server share', async () => {
    const secret = generateLinkSecret();
    const share = randomBytes(32);
    const pinKey = await linkPinKey('04821', salt, DEFAULT_KDF);
    const envelope = sealLinkPayload(linkPayloadKey(secret, pinKey, share, linkId), linkId, utf8('{"entries":[]}'));

    const again = await linkPinKey('04821', salt, DEFAULT_KDF);
    expect(fromUtf8(openLinkPayload(linkPayloadKey(secret, again, share, linkId), linkId, envelope))).toBe('{"entries":[]}');
    expect(equalBytes(linkProof(secret, again, linkId), linkProof(secret, pinKey, linkId))).toBe(true);
  });

  it('gives a wrong PIN another proof and a key that opens nothing', async () => {
    const secret = generateLinkSecret();
    const share = randomBytes(32);
    const right = await linkPinKey('04821', salt, DEFAULT_KDF);
    const wrong = await linkPinKey('04822', salt, DEFAULT_KDF);
    const envelope = sealLinkPayload(linkPayloadKey(secret, right, share, linkId), linkId, utf8('secret'));
    expect(equalBytes(linkProof(secret, wrong, linkId), linkProof(secret, right, linkId))).toBe(false);
    expect(() => openLinkPayload(linkPayloadKey(secret, wrong, share, linkId), linkId, envelope)).toThrow();
  });

  it('needs the server share: the secret and the PIN alone (a database copy and the link) open nothing', async () => {
    const secret = generateLinkSecret();
    const pinKey = await linkPinKey(null, salt, DEFAULT_KDF);
    const envelope = sealLinkPayload(linkPayloadKey(secret, pinKey, randomBytes(32), linkId), linkId, utf8('secret'));
    expect(() => openLinkPayload(linkPayloadKey(secret, pinKey, randomBytes(32), linkId), linkId, envelope)).toThrow();
    expect(() => openLinkPayload(linkPayloadKey(secret, pinKey, new Uint8Array(32), linkId), linkId, envelope)).toThrow();
  });

  it('binds the payload to its link: a payload moved to another link id does not open', async () => {
    const secret = generateLinkSecret();
    const share = randomBytes(32);
    const pinKey = await linkPinKey(null, salt, DEFAULT_KDF);
    const key = linkPayloadKey(secret, pinKey, share, linkId);
    const envelope = sealLinkPayload(key, linkId, utf8('secret'));
    expect(() => openLinkPayload(key, 'l_other', envelope)).toThrow();
    const tampered = envelope.slice();
    tampered[tampered.length - 1]! ^= 1;
    expect(() => openLinkPayload(key, linkId, tampered)).toThrow();
  });

  it('separates the lookup tag (secret only) from the proof (secret and PIN), and both from the link id', async () => {
    const secret = generateLinkSecret();
    const pinKey = await linkPinKey('horse battery staple', salt, DEFAULT_KDF);
    const tag = linkLookupTag(secret, linkId);
    expect(equalBytes(tag, linkLookupTag(secret, linkId))).toBe(true);
    expect(equalBytes(tag, linkProof(secret, pinKey, linkId))).toBe(false);
    expect(equalBytes(tag, linkLookupTag(secret, 'l_other'))).toBe(false);
    expect(equalBytes(tag, linkLookupTag(generateLinkSecret(), linkId))).toBe(false);
  });

  it('normalises a passphrase, so the same words typed elsewhere give the same key', async () => {
    const composed = await linkPinKey('caf\u00e9', salt, DEFAULT_KDF);
    const decomposed = await linkPinKey('cafe\u0301', salt, DEFAULT_KDF);
    expect(equalBytes(composed, decomposed)).toBe(true);
  });

  it('refuses a damaged secret and an empty PIN with a clear error', async () => {
    expect(() => linkLookupTag(new Uint8Array(LINK_SECRET_BYTES - 1), linkId)).toThrow(/incomplete/);
    await expect(linkPinKey('', salt, DEFAULT_KDF)).rejects.toThrow(/PIN/);
    expect(() => linkPayloadKey(generateLinkSecret(), new Uint8Array(32), new Uint8Array(31), linkId)).toThrow(/damaged/);
  });
});

describe('generated PINs', () => {
  it('are five digits, leading zeros included, spread over every digit', () => {
    const pins = Array.from({ length: 2000 }, generateLinkPin);
    for (const pin of pins) expect(pin).toMatch(/^\d{5}$/);
    const firstDigits = new Set(pins.map((p) => p[0]));
    expect(firstDigits.size).toBe(10);
    expect(new Set(pins).size).toBeGreaterThan(1900);
  });
});

describe('link meta', () => {
  it('opens with the secret alone, is bound to its link id, and refuses tampering', async () => {
    const { linkMetaKey, sealLinkMeta, openLinkMeta, linkLookupTag } = await import('../../../lib/crypto/link-share');
    const secret = generateLinkSecret();
    const key = linkMetaKey(secret, linkId);
    expect(equalBytes(key, linkLookupTag(secret, linkId))).toBe(false);
    const envelope = sealLinkMeta(key, linkId, utf8('{"title":"x"}'));
    expect(fromUtf8(openLinkMeta(linkMetaKey(secret, linkId), linkId, envelope))).toBe('{"title":"x"}');
    expect(() => openLinkMeta(key, 'l_other', envelope)).toThrow();
    expect(() => openLinkMeta(linkMetaKey(generateLinkSecret(), linkId), linkId, envelope)).toThrow();
    // Meta and payload are separate kinds: a meta envelope is not accepted as a payload.
    expect(() => openLinkPayload(key, linkId, envelope)).toThrow();
    const tampered = envelope.slice();
    tampered[tampered.length - 1]! ^= 1;
    expect(() => openLinkMeta(key, linkId, tampered)).toThrow();
  });
});
