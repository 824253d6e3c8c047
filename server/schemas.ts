// Input schemas shared by the routers. Binary values cross the API as unpadded base64url strings,
// bounded by the number of bytes they decode to.
import { z } from 'zod';

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const charsFor = (bytes: number) => Math.ceil((bytes * 4) / 3);

/** Unpadded base64url that decodes to between minBytes and maxBytes bytes. */
export function base64url(what: string, minBytes: number, maxBytes: number = minBytes) {
  const lengthRule =
    minBytes === maxBytes
      ? z.string().length(charsFor(minBytes), `${what} must be ${minBytes} bytes (${charsFor(minBytes)} base64url characters)`)
      : z
          .string()
          .min(charsFor(minBytes), `${what} must be at least ${minBytes} bytes`)
          .max(charsFor(maxBytes), `${what} must be at most ${maxBytes} bytes`);
  return lengthRule
    .regex(BASE64URL, `${what} must be base64url (A-Z a-z 0-9 - _, no padding)`)
    .refine((s) => s.length % 4 !== 1, `${what} is not valid base64url`);
}

export const username = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, 'Username must be at least 3 characters')
  .max(64, 'Username must be at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9._@+-]*$/, 'Username may use letters, digits and . _ @ + - (starting with a letter or digit)');

/** The confirmation code mailed at registration: eight digits. */
export const emailCode = z.string().trim().regex(/^\d{8}$/, 'A confirmation code is 8 digits');

export const email = z.string().trim().toLowerCase().max(254, 'Email address is too long').pipe(z.email('Enter a valid email address'));

/** RFC 9106's second recommended setting; the server refuses anything weaker (SECURITY.md 25). */
export const MIN_KDF = { memoryKiB: 64 * 1024, passes: 3 } as const;
export const DEFAULT_KDF = { algorithm: 'argon2id', memoryKiB: 64 * 1024, passes: 3, lanes: 4 } as const;

export const kdfParams = z.object({
  algorithm: z.literal('argon2id', 'The key derivation must be argon2id'),
  memoryKiB: z.int().min(1).max(4 * 1024 * 1024, 'Argon2id memory must be at most 4 GiB'),
  passes: z.int().min(1).max(64, 'Argon2id passes must be at most 64'),
  lanes: z.int().min(1).max(64, 'Argon2id lanes must be at most 64'),
});
export type KdfParams = z.infer<typeof kdfParams>;

/** 32 bytes derived from the master password (HKDF of the Argon2id output). */
export const authKey = base64url('The auth key', 32);
/** The client's Argon2id salt: exactly 16 bytes, so an unknown username's answer looks the same. */
export const SALT_BYTES = 16;
export const kdfSalt = base64url('The salt', SALT_BYTES);
export const wrappedUserKey = base64url('The wrapped user key', 32, 1024);

export const identity = z.object({
  boxPublicKey: base64url('The X25519 public key', 32),
  signingPublicKey: base64url('The Ed25519 public key', 32),
  sealedPrivateKeys: base64url('The sealed private keys', 32, 4096),
});

export const deviceName = z
  .string()
  .trim()
  .min(1, 'Device name cannot be empty')
  .max(100, 'Device name must be at most 100 characters')
  .regex(/^[^\p{Cc}]*$/u, 'Device name cannot contain control characters');

/** For procedures that take nothing: anything sent is refused rather than ignored. */
export const noInput = z.void('This call takes no input');

/** Client-generated record id, e.g. 16 random bytes as 22 base64url characters. */
export const recordId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'A record id is 16 to 64 base64url characters');

export const MAX_RECORD_BYTES = 256 * 1024;
/** Empty only for a deleted record (checked where the deleted flag is known). */
export const recordData = base64url('Record data', 0, MAX_RECORD_BYTES);

/** The sealed vault overview: about 150 bytes an entry, so 16 MiB holds 50,000 entries with room. */
export const MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;
export const snapshotData = base64url('The vault snapshot', 1, MAX_SNAPSHOT_BYTES);

export const cursor = z.int('The cursor must be a whole number').min(0, 'The cursor cannot be negative');

/** A container's id: a personal container's is its owner's user id (16 random bytes, base64url). */
export const containerId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'A container id is 16 to 64 base64url characters');

export const keyEpoch = z.int('keyEpoch must be a whole number').min(0, 'keyEpoch cannot be negative');
