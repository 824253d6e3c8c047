// Cryptographically secure random bytes from the platform (Web Crypto in the browser and in Node).

import { AppError } from '../errors';
import { t } from '../i18n';

// getRandomValues refuses more than 65,536 bytes per call.
const MAX_CHUNK = 65536;

export function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new AppError('BAD_INPUT', t('errorBug', `cannot make ${String(n)} random bytes: the count must be a whole number of 0 or more`));
  }
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += MAX_CHUNK) {
    crypto.getRandomValues(out.subarray(i, Math.min(n, i + MAX_CHUNK)));
  }
  return out;
}
