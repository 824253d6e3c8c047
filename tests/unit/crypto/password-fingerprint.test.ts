import { createHmac, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { deriveFingerprintKey, FINGERPRINT_KEY_INFO, passwordFingerprint } from '../../../lib/crypto/password-fingerprint';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('password fingerprints', () => {
  it('use HMAC-SHA-256 as RFC 4231 test case 2 gives it', () => {
    const mac = hmac(sha256, new TextEncoder().encode('Jefe'), new TextEncoder().encode('what do ya want for nothing?'));
    expect(hex(mac)).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(hex(passwordFingerprint(new TextEncoder().encode('Jefe'), 'what do ya want for nothing?'))).toBe(hex(mac));
  });

  it("match Node's HKDF and HMAC for the key and the fingerprint", () => {
    const userKey = new Uint8Array(32).map((_, i) => i * 7);
    const key = deriveFingerprintKey(userKey);
    const nodeKey = new Uint8Array(hkdfSync('sha256', userKey, new Uint8Array(32), FINGERPRINT_KEY_INFO, 32));
    expect(hex(key)).toBe(hex(nodeKey));
    expect(hex(passwordFingerprint(key, 'hunter2 ünïcode'))).toBe(createHmac('sha256', nodeKey).update('hunter2 ünïcode', 'utf8').digest('hex'));
  });

  it('are equal for equal passwords under one vault, and differ across vaults', () => {
    const a = deriveFingerprintKey(new Uint8Array(32).fill(1));
    const b = deriveFingerprintKey(new Uint8Array(32).fill(2));
    expect(hex(passwordFingerprint(a, 'same'))).toBe(hex(passwordFingerprint(a, 'same')));
    expect(hex(passwordFingerprint(a, 'same'))).not.toBe(hex(passwordFingerprint(a, 'Same')));
    expect(hex(passwordFingerprint(a, 'same'))).not.toBe(hex(passwordFingerprint(b, 'same')));
    expect(hex(a)).not.toBe(hex(new Uint8Array(32).fill(1)));
  });
});
