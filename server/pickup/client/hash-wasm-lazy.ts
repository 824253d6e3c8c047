// The pick-up page's stand-in for 'hash-wasm' (server/pickup/build.ts maps the import here): the
// WebAssembly Argon2 loads only when the person submits a PIN, so the page is ready sooner.
import type { IArgon2Options } from 'hash-wasm';

export async function argon2id(options: IArgon2Options & { outputType: 'binary' }): Promise<Uint8Array> {
  const { argon2id: real } = await import('./argon2-wasm.ts');
  return real(options);
}
