// Associated data: binds every ciphertext to what it is (kind, record id, field, revision,
// container), so a server that swaps, replays or moves ciphertexts gets a decryption error
// (SECURITY.md item 26). The encoding is canonical and unambiguous: fixed slot order, each slot
// either absent (0x00) or present (0x01 + 4-byte big-endian length + bytes).

import { AppError } from '../errors';
import { t } from '../i18n';

/** One tag per kind of ciphertext. Add a kind here rather than reusing one. */
export const AD_KINDS = [
  'entry-overview',
  'entry-details',
  'item-key',
  'user-key',
  'private-keys',
  'share-key',
  'record-import',
  'link-payload',
  'link-meta',
  'message-copy',
  'settings',
  'export-file',
  'link-record',
  'message-key',
  'pinned-keys',
] as const;

export type AdKind = (typeof AD_KINDS)[number];

export interface AdParts {
  kind: AdKind;
  /** Id of the record the ciphertext belongs to (entry, share, user, link, message…). */
  id: string;
  /** Field name within the record, when one record holds several ciphertexts. */
  field?: string;
  /** Revision the ciphertext was written at. */
  revision?: number;
  /** Id of the container whose key encrypts it (user vault or share). */
  container?: string;
}

const KIND_SET: ReadonlySet<string> = new Set(AD_KINDS);
const ALLOWED_KEYS: ReadonlySet<string> = new Set(['kind', 'id', 'field', 'revision', 'container']);
const DOMAIN = 'latchkey ad v1';
const MAX_STRING = 1024;

const encoder = new TextEncoder();

function bad(what: string): AppError {
  return new AppError('BAD_INPUT', t('errorBug', `cannot build associated data: ${what}`));
}

function checkString(name: string, value: unknown, allowEmpty: boolean): string {
  if (typeof value !== 'string') throw bad(`${name} must be a string`);
  if (!allowEmpty && value.length === 0) throw bad(`${name} must not be empty`);
  if (value.length > MAX_STRING) throw bad(`${name} is longer than ${MAX_STRING} characters`);
  return value;
}

/**
 * UTF-8 bytes of a slot value, or the string itself when it is ASCII (written directly later:
 * the vault builds 20,000 of these on unlock and TextEncoder calls dominated that).
 */
function slotValue(name: string, value: string): string | Uint8Array {
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) >= 0x80) {
      // Lone surrogates would all encode to U+FFFD and make two different ids look alike.
      if (!value.isWellFormed()) throw bad(`${name} is not well-formed Unicode`);
      return encoder.encode(value);
    }
  }
  return value;
}

const DOMAIN_BYTES = encoder.encode(DOMAIN);

/** Canonical bytes for the associated data of one ciphertext. */
export function associatedData(parts: AdParts): Uint8Array<ArrayBuffer> {
  if (typeof parts !== 'object' || parts === null) throw bad('parts must be an object');
  for (const key in parts) {
    if (!ALLOWED_KEYS.has(key)) throw bad(`unknown part "${key}"`);
  }
  const { kind, id, field, revision, container } = parts;
  if (typeof kind !== 'string' || !KIND_SET.has(kind)) throw bad(`unknown kind ${JSON.stringify(kind)}`);
  if (revision !== undefined && (!Number.isSafeInteger(revision) || revision < 0)) {
    throw bad('revision must be a whole number of 0 or more');
  }
  const slots: (string | Uint8Array | undefined)[] = [
    DOMAIN_BYTES,
    kind,
    slotValue('id', checkString('id', id, false)),
    field === undefined ? undefined : slotValue('field', checkString('field', field, true)),
    revision === undefined ? undefined : u64be(revision),
    container === undefined ? undefined : slotValue('container', checkString('container', container, false)),
  ];

  let length = 0;
  for (const s of slots) length += s === undefined ? 1 : 5 + s.length;
  const out = new Uint8Array(length);
  let o = 0;
  for (const s of slots) {
    if (s === undefined) {
      out[o++] = 0;
      continue;
    }
    const n = s.length;
    out[o++] = 1;
    out[o++] = n >>> 24;
    out[o++] = (n >>> 16) & 0xff;
    out[o++] = (n >>> 8) & 0xff;
    out[o++] = n & 0xff;
    if (typeof s === 'string') {
      for (let i = 0; i < n; i++) out[o++] = s.charCodeAt(i);
    } else {
      out.set(s, o);
      o += n;
    }
  }
  return out;
}

function u64be(n: number): Uint8Array {
  const out = new Uint8Array(8);
  let hi = Math.floor(n / 0x100000000);
  let lo = n >>> 0;
  for (let i = 7; i >= 4; i--, lo >>>= 8) out[i] = lo & 0xff;
  for (let i = 3; i >= 0; i--, hi >>>= 8) out[i] = hi & 0xff;
  return out;
}
