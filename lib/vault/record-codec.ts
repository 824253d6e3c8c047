// How an entry record travels to the server: its ciphertexts and ids as one opaque string. The
// server stores it as is; nothing in it is readable without the container's key.
import { fromBase64Url, fromUtf8, toBase64Url, utf8 } from '../crypto/encoding';
import { AppError } from '../errors';
import type { EntryRecord } from './db';
import { t } from '../i18n';

type Wire = { v: 1; id: string; revision: number; container: string; itemKey: string; overview: string; details: string; createdAt: number; updatedAt: number };

export function encodeRecord(r: EntryRecord): string {
  const wire: Wire = {
    v: 1,
    id: r.id,
    revision: r.revision,
    container: r.container,
    itemKey: toBase64Url(r.itemKey),
    overview: toBase64Url(r.overview),
    details: toBase64Url(r.details),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
  return toBase64Url(utf8(JSON.stringify(wire)));
}

/** Decodes a record from the server, refusing one that claims another entry's id. */
export function decodeRecord(data: string, expectedId: string): EntryRecord {
  try {
    const w = JSON.parse(fromUtf8(fromBase64Url(data))) as Wire;
    if (w.v !== 1 || w.id !== expectedId || !Number.isSafeInteger(w.revision) || typeof w.container !== 'string') throw new Error('shape');
    return {
      id: w.id,
      revision: w.revision,
      container: w.container,
      itemKey: fromBase64Url(w.itemKey),
      overview: fromBase64Url(w.overview),
      details: fromBase64Url(w.details),
      createdAt: Number(w.createdAt) || 0,
      updatedAt: Number(w.updatedAt) || 0,
    };
  } catch (cause) {
    throw new AppError('CORRUPT_RECORD', t('errorEntryArrivedDamaged', expectedId), { subject: expectedId, cause });
  }
}
