// Messages of import and export (issue 15); merged into Protocol in protocol.ts. An import is
// staged in the background's memory in chunks (so the options page can show progress) and
// written in one transaction on commit; cancelling, locking or waiting too long drops it.
import type { ImportedEntry, ImportProblem } from '../import/model';
import type { SenderKind } from './protocol';

/** What to do with an imported entry that looks like one already in the vault. */
export type ImportDecision = 'add' | 'skip' | 'merge';

export interface ImportItem {
  entry: ImportedEntry;
  decision: ImportDecision;
  /** The entry to merge into, with decision 'merge'. */
  existingId?: string;
}

export interface ImportOutcome {
  added: number;
  merged: number;
  skipped: number;
  /** Entries left out, by line; the rest were written. */
  problems: ImportProblem[];
}

export interface ExportRequest {
  /** Only this folder (and the folders below it); the whole vault when absent. */
  folder?: string;
}

export interface ImportProtocol {
  'import.begin': { req: void; res: { importId: string } };
  'import.add': { req: { importId: string; items: ImportItem[] }; res: { staged: number; problems: ImportProblem[] } };
  'import.commit': { req: { importId: string }; res: ImportOutcome };
  'import.cancel': { req: { importId: string }; res: void };
  /** How many entries a commit under way has sealed and handed to the store (all or none are kept). */
  'import.status': { req: { importId: string }; res: { staged: number; written: number } };
  /** Plaintext CSV: asks for the master password again. */
  'export.csv': { req: ExportRequest & { masterPassword: string }; res: { text: string; count: number } };
  /** Latchkey's encrypted file under a passphrase the person chose. */
  'export.file': { req: ExportRequest & { passphrase: string }; res: { text: string; count: number } };
}

const PAGES = ['popup', 'options'] as const satisfies readonly SenderKind[];
const OPTIONS = ['options'] as const satisfies readonly SenderKind[];

export const IMPORT_SENDERS: { [K in keyof ImportProtocol]: readonly SenderKind[] } = {
  'import.begin': PAGES,
  'import.add': PAGES,
  'import.commit': PAGES,
  'import.cancel': PAGES,
  'import.status': PAGES,
  // A whole vault leaves only through the options page, where the person asked for it.
  'export.csv': OPTIONS,
  'export.file': OPTIONS,
};
