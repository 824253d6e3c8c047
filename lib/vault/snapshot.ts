// The overview snapshot: every entry's summary in one sealed blob, so unlocking (and a first
// sign-in, through the server) opens one ciphertext instead of two per entry. Summaries are
// written as rows of values rather than objects, which halves the size of a 10,000-entry vault.
import { associatedData } from '../crypto/ad';
import { open, seal } from '../crypto/aead';
import { fromUtf8, utf8 } from '../crypto/encoding';
import { MATCH_MODES, type EntrySummary } from '../model/entry';

const FORMAT = 2;
/**
 * Smaller vaults are not listed from a snapshot on a new device: all their records arrive in about
 * as long (roughly half a second per thousand here), and then the whole vault is there offline.
 */
export const SNAPSHOT_MIN_ENTRIES = 1000;
const ad = () => associatedData({ kind: 'settings', id: 'overview-snapshot' });

/** Ten values, then the entry it conflicts with (CONFLICT), then when it was trashed (TRASHED). */
type Row = [id: string, revision: number, updatedAt: number, title: string, username: string, urls: string[], tags: string[], folder: string, flags: number, match: number, ...marks: (string | number)[]];

const ENABLED = 1;
const AUTO_SUBMIT = 2;
const HAS_PASSWORD = 4;
/** A conflict copy: the entry it conflicts with follows the row's ten values. */
const CONFLICT = 8;
/** In the trash: when it was trashed ends the row. */
const TRASHED = 16;

function toRow(s: EntrySummary): Row {
  const flags =
    (s.autologin.enabled ? ENABLED : 0) |
    (s.autologin.autoSubmit ? AUTO_SUBMIT : 0) |
    (s.hasPassword ? HAS_PASSWORD : 0) |
    (s.conflictOf !== undefined ? CONFLICT : 0) |
    (s.trashedAt !== undefined ? TRASHED : 0);
  const row: Row = [s.id, s.revision, s.updatedAt, s.title, s.username, s.urls, s.tags, s.folder, flags, MATCH_MODES.indexOf(s.autologin.match)];
  if (s.conflictOf !== undefined) row.push(s.conflictOf);
  if (s.trashedAt !== undefined) row.push(s.trashedAt);
  return row;
}

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

function fromRow(r: unknown): EntrySummary {
  if (!Array.isArray(r) || r.length < 10 || r.length > 12) throw new Error('snapshot row');
  const [id, revision, updatedAt, title, username, urls, tags, folder, flags, match, ...marks] = r as unknown[];
  if (typeof id !== 'string' || !Number.isSafeInteger(revision) || typeof updatedAt !== 'number') throw new Error('snapshot row');
  if (typeof title !== 'string' || typeof username !== 'string' || typeof folder !== 'string' || !strings(urls) || !strings(tags)) throw new Error('snapshot row');
  if (typeof flags !== 'number' || typeof match !== 'number' || MATCH_MODES[match] === undefined) throw new Error('snapshot row');
  const conflict = (flags & CONFLICT) !== 0;
  const trashed = (flags & TRASHED) !== 0;
  const conflictOf = conflict ? marks[0] : undefined;
  const trashedAt = trashed ? marks[conflict ? 1 : 0] : undefined;
  if (marks.length !== Number(conflict) + Number(trashed) || (conflict && typeof conflictOf !== 'string') || (trashed && typeof trashedAt !== 'number')) {
    throw new Error('snapshot row');
  }
  return {
    id,
    revision: revision as number,
    updatedAt,
    title,
    username,
    urls,
    tags,
    folder,
    autologin: { enabled: (flags & ENABLED) !== 0, autoSubmit: (flags & AUTO_SUBMIT) !== 0, match: MATCH_MODES[match]! },
    hasPassword: (flags & HAS_PASSWORD) !== 0,
    ...(conflict ? { conflictOf: conflictOf as string } : {}),
    ...(trashed ? { trashedAt: trashedAt as number } : {}),
  };
}

/** Rows go in title order, so the list's sort after the next unlock finds its input in order. */
export function sealSnapshot(userKey: Uint8Array, summaries: Iterable<EntrySummary>): Uint8Array {
  const rows: Row[] = [];
  for (const s of summaries) rows.push(toRow(s));
  const key = (r: Row) => r[3].toLowerCase();
  rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return seal(userKey, utf8(JSON.stringify({ v: FORMAT, rows })), ad());
}

/** The summaries by id, or undefined for a snapshot that does not open or is not of this format. */
export function openSnapshot(userKey: Uint8Array, sealed: Uint8Array | undefined): Map<string, EntrySummary> | undefined {
  if (!sealed) return undefined;
  try {
    const parsed = JSON.parse(fromUtf8(open(userKey, sealed, ad()))) as { v?: unknown; rows?: unknown };
    if (parsed.v !== FORMAT || !Array.isArray(parsed.rows)) return undefined;
    const map = new Map<string, EntrySummary>();
    for (const row of parsed.rows) {
      const s = fromRow(row);
      map.set(s.id, s);
    }
    return map;
  } catch {
    return undefined; // a damaged or older snapshot only costs opening every record once
  }
}
