// hash-wasm's Argon2 alone (a static import, so the bundle keeps only it): the lazy chunk.
export { argon2id } from 'hash-wasm';
