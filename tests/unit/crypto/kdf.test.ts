import { hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  argon2id,
  argon2idReference,
  argon2idReferenceUnchecked,
  argon2idUnchecked,
  assertKdfParams,
  DEFAULT_KDF,
  deriveAccountKeys,
  hkdfSha256,
  MIN_KDF,
  type KdfParams,
} from '../../../lib/crypto/kdf';
import { ascii, expectAppError, expectAppErrorAsync, hex, seededBytes, toHex } from './helpers';

describe('assertKdfParams', () => {
  it('accepts RFC 9106 second recommended setting and returns a clean copy', () => {
    expect(DEFAULT_KDF).toEqual({ algorithm: 'argon2id', memoryKiB: 65536, passes: 3, lanes: 4 });
    expect(MIN_KDF).toEqual({ algorithm: 'argon2id', memoryKiB: 65536, passes: 3, lanes: 4 });
    const fromServer = { algorithm: 'argon2id', memoryKiB: 65536, passes: 3, lanes: 4, note: 'extra' };
    const checked = assertKdfParams(fromServer);
    expect(checked).toEqual(DEFAULT_KDF);
    expect(checked).not.toBe(fromServer);
  });

  it('accepts stronger settings within the bounds', () => {
    for (const p of [
      { algorithm: 'argon2id', memoryKiB: 1048576, passes: 20, lanes: 16 },
      { algorithm: 'argon2id', memoryKiB: 262144, passes: 4, lanes: 1 },
    ]) {
      expect(assertKdfParams(p)).toEqual(p);
    }
  });

  const refused: [string, unknown][] = [
    ['memory below 64 MiB', { algorithm: 'argon2id', memoryKiB: 65535, passes: 3, lanes: 4 }],
    ['OWASP-floor memory', { algorithm: 'argon2id', memoryKiB: 19456, passes: 3, lanes: 4 }],
    ['2 passes', { algorithm: 'argon2id', memoryKiB: 65536, passes: 2, lanes: 4 }],
    ['0 lanes', { algorithm: 'argon2id', memoryKiB: 65536, passes: 3, lanes: 0 }],
    ['memory above 1 GiB', { algorithm: 'argon2id', memoryKiB: 1048577, passes: 3, lanes: 4 }],
    ['21 passes', { algorithm: 'argon2id', memoryKiB: 65536, passes: 21, lanes: 4 }],
    ['17 lanes', { algorithm: 'argon2id', memoryKiB: 65536, passes: 3, lanes: 17 }],
    ['argon2i', { algorithm: 'argon2i', memoryKiB: 65536, passes: 3, lanes: 4 }],
    ['pbkdf2', { algorithm: 'pbkdf2', memoryKiB: 65536, passes: 600000, lanes: 1 }],
    ['no algorithm', { memoryKiB: 65536, passes: 3, lanes: 4 }],
    ['fractional memory', { algorithm: 'argon2id', memoryKiB: 65536.5, passes: 3, lanes: 4 }],
    ['NaN passes', { algorithm: 'argon2id', memoryKiB: 65536, passes: Number.NaN, lanes: 4 }],
    ['Infinity memory', { algorithm: 'argon2id', memoryKiB: Number.POSITIVE_INFINITY, passes: 3, lanes: 4 }],
    ['string numbers', { algorithm: 'argon2id', memoryKiB: '65536', passes: '3', lanes: '4' }],
    ['missing lanes', { algorithm: 'argon2id', memoryKiB: 65536, passes: 3 }],
    ['null', null],
    ['undefined', undefined],
    ['a string', 'argon2id'],
  ];
  for (const [name, params] of refused) {
    it(`refuses ${name} with WEAK_KDF_PARAMS`, () => {
      const e = expectAppError(() => assertKdfParams(params), 'WEAK_KDF_PARAMS');
      expect(e.message).toMatch(/refused/);
    });
  }
});

describe('argon2id (hash-wasm) and argon2idReference (noble)', () => {
  const salt = seededBytes(7, 16);
  const password = ascii('correct horse battery staple');

  it('refuse weak parameters before doing any work', async () => {
    const weak: KdfParams = { algorithm: 'argon2id', memoryKiB: 256, passes: 1, lanes: 1 };
    await expectAppErrorAsync(argon2id(password, salt, weak), 'WEAK_KDF_PARAMS');
    await expectAppErrorAsync(argon2idReference(password, salt, weak), 'WEAK_KDF_PARAMS');
    await expectAppErrorAsync(argon2id(password, salt, { ...DEFAULT_KDF, passes: 2 }), 'WEAK_KDF_PARAMS');
    await expectAppErrorAsync(argon2id(password, salt, { ...DEFAULT_KDF, memoryKiB: 32768 }), 'WEAK_KDF_PARAMS');
    // 16 GiB of memory but one pass: hashing first would fail to allocate (another error), not refuse.
    const huge: KdfParams = { ...DEFAULT_KDF, memoryKiB: 16 * 1024 * 1024, passes: 1 };
    await expectAppErrorAsync(argon2id(password, salt, huge), 'WEAK_KDF_PARAMS');
    await expectAppErrorAsync(argon2idReference(password, salt, huge), 'WEAK_KDF_PARAMS');
  });

  it('refuse an empty password, a short salt and odd output lengths with BAD_INPUT', async () => {
    await expectAppErrorAsync(argon2id(new Uint8Array(0), salt, DEFAULT_KDF), 'BAD_INPUT');
    await expectAppErrorAsync(argon2id(password, salt.subarray(0, 15), DEFAULT_KDF), 'BAD_INPUT');
    await expectAppErrorAsync(argon2id(password, salt, DEFAULT_KDF, 8), 'BAD_INPUT');
    await expectAppErrorAsync(argon2id(password, salt, DEFAULT_KDF, 65), 'BAD_INPUT');
    await expectAppErrorAsync(argon2idReference(new Uint8Array(0), salt, DEFAULT_KDF), 'BAD_INPUT');
  });

  it('matches the RFC 9106 §5.3 Argon2id vector (noble, with secret and associated data)', () => {
    const tag = argon2idReferenceUnchecked(
      new Uint8Array(32).fill(0x01),
      new Uint8Array(16).fill(0x02),
      { memoryKiB: 32, passes: 3, lanes: 4 },
      32,
      { secret: new Uint8Array(8).fill(0x03), associatedData: new Uint8Array(12).fill(0x04) },
    );
    expect(toHex(tag)).toBe('0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659');
  });

  // phc-winner-argon2 src/test.c, Argon2id v0x13 with "password" / "somesalt".
  const referenceVectors: [number, number, number, string][] = [
    [65536, 2, 1, '09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7'],
    [256, 2, 1, '9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe'],
  ];
  for (const [memoryKiB, passes, lanes, expected] of referenceVectors) {
    it(`matches the reference implementation's vector m=${memoryKiB} t=${passes} p=${lanes}`, async () => {
      const cost = { memoryKiB, passes, lanes };
      expect(toHex(await argon2idUnchecked(ascii('password'), ascii('somesalt'), cost, 32))).toBe(expected);
      // noble is slow at 64 MiB and is checked at that size by the full-setting test below.
      if (memoryKiB <= 1024) expect(toHex(argon2idReferenceUnchecked(ascii('password'), ascii('somesalt'), cost, 32))).toBe(expected);
    }, 60_000);
  }

  it('hash-wasm and noble agree on random passwords, salts, costs, lengths and secrets', async () => {
    for (let i = 0; i < 12; i++) {
      const pw = seededBytes(100 + i, 1 + ((i * 13) % 70));
      const s = seededBytes(200 + i, 8 + ((i * 5) % 40));
      const cost = { memoryKiB: 8 * (1 + (i % 4)) * (32 + i * 8), passes: 1 + (i % 3), lanes: 1 + (i % 4) };
      const outLen = [16, 32, 33, 64, 65, 100][i % 6]!;
      const secret = i % 3 === 0 ? seededBytes(300 + i, 8 + i) : undefined;
      const wasm = await argon2idUnchecked(pw, s, cost, outLen, { secret });
      const noble = argon2idReferenceUnchecked(pw, s, cost, outLen, { secret });
      expect(wasm.length).toBe(outLen);
      expect(toHex(wasm)).toBe(toHex(noble));
    }
  }, 60_000);

  it('a secret changes the output (the cross-check would notice one implementation ignoring it)', async () => {
    const cost = { memoryKiB: 256, passes: 1, lanes: 1 };
    const plain = await argon2idUnchecked(password, salt, cost, 32);
    const keyed = await argon2idUnchecked(password, salt, cost, 32, { secret: hex('03030303030303030303') });
    expect(toHex(keyed)).not.toBe(toHex(plain));
  });

  it('at the full 64 MiB / 3 passes / 4 lanes setting, hash-wasm and noble agree', async () => {
    const wasm = await argon2id(password, salt, DEFAULT_KDF);
    const noble = await argon2idReference(password, salt, DEFAULT_KDF);
    expect(wasm.length).toBe(32);
    expect(toHex(wasm)).toBe(toHex(noble));
    // And the inputs matter: one changed salt byte gives another key.
    const other = await argon2id(password, Uint8Array.from(salt, (b, i) => (i === 0 ? b ^ 1 : b)), DEFAULT_KDF);
    expect(toHex(other)).not.toBe(toHex(wasm));
  }, 120_000);
});

describe('hkdfSha256', () => {
  it('matches RFC 5869 test case 3 (empty salt and info)', () => {
    const okm = hkdfSha256(new Uint8Array(22).fill(0x0b), new Uint8Array(0), '', 42);
    expect(toHex(okm)).toBe('8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8');
  });

  it("agrees with Node's HKDF for text labels, salts and lengths", () => {
    for (const [info, length] of [['latchkey test', 32], ['ünïcode label 🔑', 64], ['x', 1], ['long', 255 * 32]] as const) {
      const ikm = seededBytes(length, 32);
      const salt = seededBytes(length + 1, 16);
      const expected = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from(info, 'utf8'), length));
      expect(toHex(hkdfSha256(ikm, salt, info, length))).toBe(expected.toString('hex'));
    }
  });

  it('refuses impossible lengths', () => {
    const ikm = seededBytes(1, 32);
    for (const n of [0, -1, 255 * 32 + 1, 1.5]) expectAppError(() => hkdfSha256(ikm, new Uint8Array(0), 'x', n), 'BAD_INPUT');
  });
});

describe('deriveAccountKeys', () => {
  it('splits the master key into two independent 32-byte keys with the v1 labels', () => {
    const masterKey = seededBytes(42, 32);
    const { authKey, wrapKey } = deriveAccountKeys(masterKey);
    expect(authKey.length).toBe(32);
    expect(wrapKey.length).toBe(32);
    expect(toHex(authKey)).not.toBe(toHex(wrapKey));
    const node = (label: string) => Buffer.from(hkdfSync('sha256', masterKey, new Uint8Array(0), label, 32)).toString('hex');
    expect(toHex(authKey)).toBe(node('latchkey auth key v1'));
    expect(toHex(wrapKey)).toBe(node('latchkey wrap key v1'));
  });

  it('is deterministic and depends on every bit of the master key', () => {
    const masterKey = seededBytes(43, 32);
    const a = deriveAccountKeys(masterKey);
    expect(deriveAccountKeys(Uint8Array.from(masterKey))).toEqual(a);
    const flipped = Uint8Array.from(masterKey);
    flipped[31]! ^= 0x80;
    const b = deriveAccountKeys(flipped);
    expect(toHex(b.authKey)).not.toBe(toHex(a.authKey));
    expect(toHex(b.wrapKey)).not.toBe(toHex(a.wrapKey));
  });

  it('refuses a master key that is not 32 bytes', () => {
    expectAppError(() => deriveAccountKeys(new Uint8Array(31)), 'BAD_INPUT');
    expectAppError(() => deriveAccountKeys(new Uint8Array(64)), 'BAD_INPUT');
  });
});
