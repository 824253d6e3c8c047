// The common shape every importer produces, before anything touches the vault: one ImportedEntry per
// login, with the line (or record number) it came from so a problem can name it.
import type { AutologinSettings } from '../model/entry';

/** Rows the options page stages per import.add message (its progress bar moves once per chunk). */
export const IMPORT_CHUNK = 1000;

export const IMPORT_FORMATS = [
  'chrome-csv',
  'firefox-csv',
  'bitwarden-csv',
  'bitwarden-json',
  'lastpass-csv',
  '1password-csv',
  '1password-1pux',
  'keepass-csv',
  'keepass-kdbx',
  'psono-json',
  'passpack-csv',
  'latchkey',
] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportedEntry {
  /** Line of the file (CSV) or position of the record (JSON, KDBX, 1PUX), from 1. */
  line: number;
  title: string;
  username: string;
  password: string;
  urls: string[];
  notes: string;
  tags: string[];
  /** Folder path, levels joined by "/". */
  folder: string;
  /** As the file had it (otpauth:// URI or base32); checked when the import is written. */
  totp?: string;
  /** Only Latchkey's own file carries these. */
  autologin?: AutologinSettings;
}

export interface ImportProblem {
  line: number;
  message: string;
}

/** Which field of the source went where, for the preview. */
export interface FieldMapping {
  source: string;
  target: 'title' | 'username' | 'password' | 'urls' | 'notes' | 'tags' | 'folder' | 'totp' | 'autologin' | 'ignored';
}

export interface ParsedImport {
  format: ImportFormat;
  entries: ImportedEntry[];
  /** Rows that could not be read; the rest still import. */
  problems: ImportProblem[];
  mapping: FieldMapping[];
}

export function blankEntry(line: number): ImportedEntry {
  return { line, title: '', username: '', password: '', urls: [], notes: '', tags: [], folder: '' };
}

/** Custom fields have no place of their own in a Latchkey entry: they go into the notes, one a line. */
export function withExtraFields(notes: string, fields: { name: string; value: string }[]): string {
  const lines = fields.filter((f) => f.value !== '').map((f) => `${f.name || 'Field'}: ${f.value}`);
  if (lines.length === 0) return notes;
  return notes ? `${notes}\n\n${lines.join('\n')}` : lines.join('\n');
}

/** Several URLs as managers write them in one cell: separated by commas, spaces or new lines. */
export function splitUrls(cell: string): string[] {
  return cell
    .split(/[\s,]+/)
    .map((u) => u.trim())
    .filter((u) => u !== '');
}

/** A title when the source has none: the site's host, else the username. */
export function fallbackTitle(e: ImportedEntry): string {
  if (e.title.trim()) return e.title;
  for (const u of e.urls) {
    try {
      new URL(u);
      // The host as written, so an international name is not shown in punycode.
      const host = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^/:?#]+)/i.exec(u)?.[1];
      if (host) return host.toLowerCase();
    } catch {
      // not a URL: keep looking
    }
  }
  return e.username || 'Imported entry';
}
