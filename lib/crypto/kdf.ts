// Key derivation: master password → Argon2id → master key → HKDF-SHA256 → auth key + wrap key.
// Argon2id runs in WebAssembly (hash-wasm), about five times faster than pure JS, so the same
// wait costs an attacker five times more; @noble/hashes is the second implementation the tests
// and the benchmark compare it with (SECURITY.md, "Key derivation").

import { argon2id as argon2idNoble } from '@noble/hashes/argon2.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { argon2id as argon2idWasm } from 'hash-wasm';
import { AppError } from '../errors';
import { utf8 } from './encoding';
import { t } from '../i18n';

export interface KdfParams {
  algorithm: 'argon2id';
  memoryKiB: number;
  passes: number;
  lanes: number;
}

/** RFC 9106 §4, second recommended option: 64 MiB, 3 passes, 4 lanes. */
export const DEFAULT_KDF: KdfParams = Object.freeze({ algorithm: 'argon2id', memoryKiB: 65536, passes: 3, lanes: 4 });

/** The floor the client holds to, whatever the server sends (SECURITY.md item 25). */
export const MIN_KDF: KdfParams = Object.freeze({ algorithm: 'argon2id', memoryKiB: 65536, passes: 3, lanes: 4 });

/** Beyond these the parameters are a denial of service (or a typo), not extra safety. */
const MAX_MEMORY_KIB = 1024 * 1024;
const MAX_PASSES = 20;
const MAX_LANES = 16;

const MIN_SALT_BYTES = 16;
const MIN_OUT_BYTES = 16;
const MAX_OUT_BYTES = 64;

function refuse(reason: string): AppError {
  return new AppError(
    'WEAK_KDF_PARAMS',
    t('errorKdfRefused', reason),
  );
}

function isWholeNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

/**
 * Check key-derivation parameters received from anywhere (server, storage) and return a clean
 * copy. Throws AppError WEAK_KDF_PARAMS when they are malformed, below MIN_KDF (lanes may be
 * fewer than 4, but at least 1), or absurdly large.
 */
export function assertKdfParams(p: unknown): KdfParams {
  if (typeof p !== 'object' || p === null) throw refuse(t('kdfRefusedMissing'));
  const { algorithm, memoryKiB, passes, lanes } = p as Record<string, unknown>;
  if (algorithm !== 'argon2id') throw refuse(t('kdfRefusedAlgorithm', JSON.stringify(algorithm) ?? 'missing'));
  if (!isWholeNumber(memoryKiB)) throw refuse(t('kdfRefusedMemoryNotWhole'));
  if (!isWholeNumber(passes)) throw refuse(t('kdfRefusedPassesNotWhole'));
  if (!isWholeNumber(lanes)) throw refuse(t('kdfRefusedLanesNotWhole'));
  if (memoryKiB < MIN_KDF.memoryKiB) throw refuse(t('kdfRefusedMemoryLow', memoryKiB, MIN_KDF.memoryKiB));
  if (memoryKiB > MAX_MEMORY_KIB) throw refuse(t('kdfRefusedMemoryHigh', memoryKiB, MAX_MEMORY_KIB));
  if (passes < MIN_KDF.passes) throw refuse(t('kdfRefusedPassesLow', passes, MIN_KDF.passes));
  if (passes > MAX_PASSES) throw refuse(t('kdfRefusedPassesHigh', passes, MAX_PASSES));
  if (lanes < 1) throw refuse(t('kdfRefusedLanesLow', lanes, 1));
  if (lanes > MAX_LANES) throw refuse(t('kdfRefusedLanesHigh', lanes, MAX_LANES));
  return { algorithm, memoryKiB, passes, lanes };
}

function checkInputs(password: Uint8Array, salt: Uint8Array, outLen: number): void {
  if (!(password instanceof Uint8Array) || password.length === 0) {
    throw new AppError('BAD_INPUT', t('errorMasterPasswordEmpty'));
  }
  if (!(salt instanceof Uint8Array) || salt.length < MIN_SALT_BYTES) {
    throw new AppError('BAD_INPUT', t('errorSaltShort', MIN_SALT_BYTES));
  }
  if (!Number.isSafeInteger(outLen) || outLen < MIN_OUT_BYTES || outLen > MAX_OUT_BYTES) {
    throw new AppError('BAD_INPUT', t('errorBug', `a derived key must be ${MIN_OUT_BYTES} to ${MAX_OUT_BYTES} bytes long, not ${String(outLen)}`));
  }
}

/** Argon2id (v1.3) in WebAssembly. Refuses parameters below MIN_KDF. */
export async function argon2id(password: Uint8Array, salt: Uint8Array, params: KdfParams, outLen = 32): Promise<Uint8Array<ArrayBuffer>> {
  const checked = assertKdfParams(params);
  checkInputs(password, salt, outLen);
  return argon2idUnchecked(password, salt, checked, outLen);
}

/** Argon2id (v1.3) in pure JS (@noble/hashes): the reference the tests and the benchmark compare with. */
export async function argon2idReference(password: Uint8Array, salt: Uint8Array, params: KdfParams, outLen = 32): Promise<Uint8Array<ArrayBuffer>> {
  const checked = assertKdfParams(params);
  checkInputs(password, salt, outLen);
  return argon2idReferenceUnchecked(password, salt, checked, outLen);
}

/** Cost parameters without the KdfParams floor, for the unchecked variants below. */
export interface ArgonCost {
  memoryKiB: number;
  passes: number;
  lanes: number;
}

/**
 * @internal Not exported from index.ts. hash-wasm Argon2id with no parameter floor, so the tests
 * can run published vectors and cheap cross-checks. Production code calls argon2id().
 */
export async function argon2idUnchecked(
  password: Uint8Array, salt: Uint8Array, cost: ArgonCost, outLen: number,
  extra: { secret?: Uint8Array } = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const out = await argon2idWasm({
    password,
    salt,
    secret: extra.secret,
    iterations: cost.passes,
    parallelism: cost.lanes,
    memorySize: cost.memoryKiB,
    hashLength: outLen,
    outputType: 'binary',
  });
  return new Uint8Array(out);
}

/**
 * @internal Not exported from index.ts. @noble/hashes Argon2id with no parameter floor, with the
 * optional secret (K) and associated data (X) that RFC 9106's vectors use.
 */
export function argon2idReferenceUnchecked(
  password: Uint8Array, salt: Uint8Array, cost: ArgonCost, outLen: number,
  extra: { secret?: Uint8Array; associatedData?: Uint8Array } = {},
): Uint8Array<ArrayBuffer> {
  return argon2idNoble(password, salt, {
    m: cost.memoryKiB,
    t: cost.passes,
    p: cost.lanes,
    dkLen: outLen,
    version: 0x13,
    key: extra.secret,
    personalization: extra.associatedData,
    maxmem: Math.max(MAX_MEMORY_KIB * 1024, cost.memoryKiB * 1024),
  });
}

/** HKDF-SHA256 (RFC 5869) with a text label as info. */
export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: string, length: number): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(length) || length < 1 || length > 255 * 32) {
    throw new AppError('BAD_INPUT', t('errorBug', `HKDF-SHA256 can make 1 to 8160 bytes, not ${String(length)}`));
  }
  return hkdf(sha256, ikm, salt, utf8(info), length);
}

export const AUTH_KEY_INFO = 'latchkey auth key v1';
export const WRAP_KEY_INFO = 'latchkey wrap key v1';

/**
 * Split the 32-byte master key into the auth key (sent to the server, which stores a hash of it)
 * and the wrap key (never leaves the device). Distinct labels make them independent.
 */
export function deriveAccountKeys(masterKey: Uint8Array): { authKey: Uint8Array<ArrayBuffer>; wrapKey: Uint8Array<ArrayBuffer> } {
  if (!(masterKey instanceof Uint8Array) || masterKey.length !== 32) {
    throw new AppError('BAD_INPUT', t('errorBug', 'the master key must be 32 bytes'));
  }
  const noSalt = new Uint8Array(0);
  return {
    authKey: hkdfSha256(masterKey, noSalt, AUTH_KEY_INFO, 32),
    wrapKey: hkdfSha256(masterKey, noSalt, WRAP_KEY_INFO, 32),
  };
}
