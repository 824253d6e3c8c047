// The link pepper: a server secret kept outside the database (LINK_PEPPER, or the file
// `link-pepper` in the data folder, made 0600 on first use). Every link value the server could use
// to test a PIN is stored under it: the verifier is HMAC(pepper, proof), the server share is
// encrypted with a key derived from the pepper and bound to the link id. A copy of the database
// and the link, without the pepper, therefore cannot check a single PIN (SECURITY.md 18).
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PEPPER_FILE = 'link-pepper';
const MIN_PEPPER_BYTES = 32;

function decodePepper(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const bytes = /^[0-9a-f]+$/i.test(trimmed) && trimmed.length % 2 === 0 ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64url');
  if (bytes.length < MIN_PEPPER_BYTES) {
    throw new Error(`${where} must hold at least ${MIN_PEPPER_BYTES} random bytes (as hex or base64url); generate one with: openssl rand -hex 32`);
  }
  return bytes;
}

/**
 * The pepper from LINK_PEPPER, else from `<dataDir>/link-pepper`, made on first use. Every server
 * process on one database must use the same pepper: with PostgreSQL and several hosts, set
 * LINK_PEPPER (or copy the file). Losing it ends every link (they no longer open), nothing else.
 */
export function loadLinkPepper(config: { linkPepper?: string; dataDir: string }): Buffer {
  if (config.linkPepper) return decodePepper(config.linkPepper, 'LINK_PEPPER');
  const file = join(config.dataDir, PEPPER_FILE);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  try {
    // 'wx': only the first process makes it; a second one reads what the first wrote.
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  chmodSync(file, 0o600);
  return decodePepper(readFileSync(file, 'utf8'), file);
}

/** Everything derived from the pepper, each with its own label and bound to the link id. */
export class LinkKeys {
  readonly #pepper: Buffer;

  constructor(pepper: Buffer) {
    this.#pepper = pepper;
  }

  #mac(label: string, ...parts: string[]): Buffer {
    const h = createHmac('sha256', this.#pepper).update(`latchkey link ${label} v1`);
    for (const p of parts) h.update('\0').update(p);
    return h.digest();
  }

  /** What is stored for the lookup tag: the link is only found with the secret. */
  lookupHash(id: string, lookupTag: string): string {
    return this.#mac('lookup', id, lookupTag).toString('base64url');
  }

  /** What is stored for the proof (the secret and the PIN together). */
  verifier(id: string, proof: string): string {
    return this.#mac('verifier', id, proof).toString('base64url');
  }

  emailHash(id: string, email: string): string {
    return this.#mac('email', id, email.trim().toLowerCase()).toString('base64url');
  }

  codeHash(id: string, emailHash: string, code: string): string {
    return this.#mac('code', id, emailHash, code).toString('base64url');
  }

  /** Constant-time comparison of two stored hashes. */
  static same(a: string, b: string): boolean {
    const x = Buffer.from(a, 'base64url');
    const y = Buffer.from(b, 'base64url');
    return x.length === y.length && timingSafeEqual(x, y);
  }

  /** AES-256-GCM under a key for this link only; the link id is the associated data. */
  sealShare(id: string, share: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#mac('share key', id), iv);
    cipher.setAAD(Buffer.from(id));
    const body = Buffer.concat([cipher.update(Buffer.from(share, 'base64url')), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  openShare(id: string, sealed: string): string {
    const bytes = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.#mac('share key', id), bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(id));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('base64url');
  }
}
