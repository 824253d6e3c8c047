// Sealing a file under a passphrase the person chooses (Latchkey's encrypted export): Argon2id at
// the client's minimum parameters or stronger, then XChaCha20-Poly1305 bound to the file's own id
// with the 'export-file' tag, so a ciphertext moved between files, or any other kind, does not open.
import { associatedData } from './ad';
import { open, seal } from './aead';
import { argon2id, assertKdfParams, MIN_KDF, type KdfParams } from './kdf';
import { randomBytes } from './random';
import { utf8 } from './encoding';
import { AppError } from '../errors';
import { t } from '../i18n';

const SALT_BYTES = 16;

export interface PassphraseSealed {
  kdf: KdfParams;
  salt: Uint8Array;
  envelope: Uint8Array;
}

/** Argon2id; the background passes its own (run in the offscreen document), pages use hash-wasm here. */
export type Derive = (password: Uint8Array, salt: Uint8Array, params: KdfParams) => Promise<Uint8Array>;

async function keyOf(passphrase: string, salt: Uint8Array, kdf: KdfParams, derive: Derive): Promise<Uint8Array> {
  if (passphrase.length === 0) throw new AppError('BAD_INPUT', t('errorFilePassphraseEmpty'));
  return derive(utf8(passphrase.normalize('NFC')), salt, assertKdfParams(kdf));
}

export async function sealWithPassphrase(passphrase: string, plaintext: Uint8Array, fileId: string, derive: Derive = argon2id, kdf: KdfParams = MIN_KDF): Promise<PassphraseSealed> {
  const salt = randomBytes(SALT_BYTES);
  const key = await keyOf(passphrase, salt, kdf, derive);
  try {
    return { kdf: { ...kdf }, salt, envelope: seal(key, plaintext, associatedData({ kind: 'export-file', id: fileId })) };
  } finally {
    key.fill(0);
  }
}

/** Refuses parameters below the minimum (a crafted file must not make a weak key); a wrong passphrase is WRONG_PASSWORD. */
export async function openWithPassphrase(passphrase: string, sealed: PassphraseSealed, fileId: string, derive: Derive = argon2id): Promise<Uint8Array> {
  const key = await keyOf(passphrase, sealed.salt, sealed.kdf, derive);
  try {
    return open(key, sealed.envelope, associatedData({ kind: 'export-file', id: fileId }));
  } catch (cause) {
    throw new AppError('WRONG_PASSWORD', t('errorFilePassphraseWrong'), { cause });
  } finally {
    key.fill(0);
  }
}
