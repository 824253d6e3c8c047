// The crypto API the rest of Latchkey codes against. Internal helpers (sealWithNonce, the
// unchecked Argon2id variants, the raw cipher) are deliberately not re-exported.

export { toBase64Url, fromBase64Url, utf8, fromUtf8, concatBytes, equalBytes } from './encoding';
export { randomBytes } from './random';
export {
  type KdfParams,
  DEFAULT_KDF,
  MIN_KDF,
  assertKdfParams,
  argon2id,
  argon2idReference,
  hkdfSha256,
  deriveAccountKeys,
  AUTH_KEY_INFO,
  WRAP_KEY_INFO,
} from './kdf';
export { type AdKind, type AdParts, AD_KINDS, associatedData } from './ad';
export { seal, open, ENVELOPE_VERSION, ALG_XCHACHA20_POLY1305, ENVELOPE_OVERHEAD } from './aead';
export { KEY_BYTES, generateKey, wrapKey, unwrapKey } from './keys';
export { type BoxKeyPair, generateBoxKeyPair, boxPublicKey, sealTo, openSealed, SEALED_VERSION, ALG_X25519_HKDF_SHA256 } from './seal';
export { type SigningKeyPair, generateSigningKeyPair, signingPublicKey, sign, verify } from './sign';
export { type Identity, generateIdentity, fingerprint, sealIdentity, openIdentity } from './identity';
