// Cryptographically secure random bytes from the platform (Web Crypto in the browser and in Node).

import { AppError } from '../errors';
import { t } from '../i18n';

// getRandomValues refuses more than 65,536 bytes per call.
const MAX_CHUNK = 65536;

// Nonces, item keys and ids are small and many (an import of 10,000 entries asks 40,000 times):
// they come from one platform call per POOL_BYTES. Each byte is handed out once and wiped from the
// pool as it is, so nothing given out stays behind.
const POOL_BYTES = 4096;
const SMALL = 64;
const pool = new Uint8Array(POOL_BYTES);
let poolUsed = POOL_BYTES;

function fromPool(n: number): Uint8Array<ArrayBuffer> {
  if (poolUsed + n > POOL_BYTES) {
    crypto.getRandomValues(pool);
    poolUsed = 0;
  }
  const part = pool.subarray(poolUsed, poolUsed + n);
  const out = part.slice();
  part.fill(0);
  poolUsed += n;
  return out;
}

export function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new AppError('BAD_INPUT', t('errorBug', `cannot make ${String(n)} random bytes: the count must be a whole number of 0 or more`));
  }
  if (n <= SMALL) return fromPool(n);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += MAX_CHUNK) {
    crypto.getRandomValues(out.subarray(i, Math.min(n, i + MAX_CHUNK)));
  }
  return out;
}
