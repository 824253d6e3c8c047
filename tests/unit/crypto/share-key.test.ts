import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { equalBytes, generateBoxKeyPair, generateKey } from '../../../lib/crypto';
import { commitsTo, generateShareKey, keyCommitment, openShareKey, sealShareKey } from '../../../lib/crypto/share-key';
import { expectAppError, flip } from './helpers';

const bob = generateBoxKeyPair();
const eve = generateBoxKeyPair();
const slot = { container: 'c-1', epoch: 3, userId: 'u-bob' };

describe('share keys', () => {
  it('are fresh 32-byte keys, sealed to a member and opened by them', () => {
    const key = generateShareKey();
    expect(key).toHaveLength(32);
    expect(equalBytes(key, generateShareKey())).toBe(false);
    const sealed = sealShareKey(bob.publicKey, key, slot);
    expect(equalBytes(openShareKey(bob.privateKey, sealed, slot), key)).toBe(true);
  });

  it('do not open for another member, share, epoch or person’s private key, nor after any change', () => {
    const sealed = sealShareKey(bob.publicKey, generateShareKey(), slot);
    expectAppError(() => openShareKey(bob.privateKey, sealed, { ...slot, userId: 'u-carol' }), 'DECRYPT_FAILED');
    expectAppError(() => openShareKey(bob.privateKey, sealed, { ...slot, container: 'c-2' }), 'DECRYPT_FAILED');
    expectAppError(() => openShareKey(bob.privateKey, sealed, { ...slot, epoch: 4 }), 'DECRYPT_FAILED');
    expectAppError(() => openShareKey(eve.privateKey, sealed, slot), 'DECRYPT_FAILED');
    expectAppError(() => openShareKey(bob.privateKey, flip(sealed, sealed.length - 1), slot), 'DECRYPT_FAILED');
  });

  it('refuse epochs below 1 and keys that are not 32 bytes', () => {
    expectAppError(() => sealShareKey(bob.publicKey, generateShareKey(), { ...slot, epoch: 0 }), 'BAD_INPUT');
    expectAppError(() => sealShareKey(bob.publicKey, new Uint8Array(16), slot), 'BAD_INPUT');
    expectAppError(() => keyCommitment(new Uint8Array(31), 'c-1', 1), 'BAD_INPUT');
    expectAppError(() => keyCommitment(generateKey(), 'c-1', 1.5), 'BAD_INPUT');
  });
});

describe('key commitment', () => {
  it('is HMAC-SHA256 under the key of the canonical [domain, version, container, epoch] (checked with node:crypto)', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i);
    const text = (s: string) => { const b = Buffer.from(s, 'utf8'); const n = Buffer.alloc(4); n.writeUInt32BE(b.length); return Buffer.concat([Buffer.of(1), n, b]); };
    const whole = (x: number) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(x)); return Buffer.concat([Buffer.of(2), b]); };
    const message = Buffer.concat([Buffer.of(4, 0, 0, 0, 4), text('latchkey share-key commitment'), whole(1), text('c-1'), whole(7)]);
    const expected = createHmac('sha256', key).update(message).digest('hex');
    expect(Buffer.from(keyCommitment(key, 'c-1', 7)).toString('hex')).toBe(expected);
  });

  it('differs with the key, the container and the epoch, and commitsTo checks all three', () => {
    const key = generateKey();
    const c = keyCommitment(key, 'c-1', 1);
    expect(commitsTo(c, key, 'c-1', 1)).toBe(true);
    expect(commitsTo(c, generateKey(), 'c-1', 1)).toBe(false);
    expect(commitsTo(c, key, 'c-2', 1)).toBe(false);
    expect(commitsTo(c, key, 'c-1', 2)).toBe(false);
    // Length-prefixed: moving a character between container and epoch text cannot collide.
    expect(equalBytes(keyCommitment(key, 'c-11', 1), keyCommitment(key, 'c-1', 11))).toBe(false);
  });
});
