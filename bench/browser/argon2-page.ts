// Runs in Chromium: our Argon2id (hash-wasm) and the @noble/hashes reference, at the same cost.
import { argon2id, argon2idReference, DEFAULT_KDF, type KdfParams } from '../../lib/crypto/kdf';

async function run(which: 'ours' | 'noble', params: KdfParams = DEFAULT_KDF): Promise<{ ms: number; hex: string }> {
  const password = new TextEncoder().encode('correct horse battery staple');
  const salt = new Uint8Array(16).fill(7);
  const t0 = performance.now();
  const out = which === 'ours' ? await argon2id(password, salt, params) : await argon2idReference(password, salt, params);
  const ms = performance.now() - t0;
  return { ms, hex: Array.from(out.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join('') };
}

(globalThis as { benchArgon2?: typeof run }).benchArgon2 = run;
document.title = 'ready';
