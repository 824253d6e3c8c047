// The import flow of the options page: choose a file → the format is detected and the person
// confirms it (with the file's password for KeePass or a Latchkey export) → a preview (how many
// entries, which field goes where, the ones that look like entries already here) → the import, in
// chunks with progress, written at once at the end. The file's contents live only in this object
// and are dropped when it finishes or is cancelled. The readers are loaded only when a file is chosen.
import { send } from '../messages/client';
import type { ImportDecision, ImportItem, ImportOutcome } from '../messages/import-protocol';
import { IMPORT_CHUNK, type ImportFormat, type ParsedImport } from '../import/model';
import { t } from '../i18n';

/** How often the page asks how far the write has got. */
const STATUS_MS = 200;

export type ImportStep = 'choose' | 'confirm' | 'preview' | 'running' | 'done';

export interface Duplicate {
  index: number;
  existingId: string;
  title: string;
  decision: ImportDecision;
}

export class ImportFlow {
  step = $state<ImportStep>('choose');
  fileName = $state('');
  format = $state<ImportFormat | undefined>(undefined);
  password = $state('');
  busy = $state(false);
  error = $state('');
  parsed = $state.raw<ParsedImport | undefined>(undefined);
  duplicates = $state<Duplicate[]>([]);
  done = $state(0);
  total = $state(0);
  /** Checking the entries (staging), then writing them (the commit). */
  phase = $state<'checking' | 'writing'>('checking');
  outcome = $state.raw<ImportOutcome | undefined>(undefined);
  #bytes: Uint8Array | undefined;
  #cancelled = false;
  #importId: string | undefined;

  get needsPassword(): boolean {
    return this.format === 'keepass-kdbx' || this.format === 'latchkey';
  }

  async choose(file: File): Promise<void> {
    this.reset();
    this.fileName = file.name;
    try {
      const { checkImportSize, detectFormat } = await import('../import');
      checkImportSize(file.size); // before a byte is read
      this.#bytes = new Uint8Array(await file.arrayBuffer());
      this.format = detectFormat(this.#bytes);
      this.step = 'confirm';
    } catch (e) {
      this.fail(e);
    }
  }

  async read(): Promise<void> {
    if (!this.#bytes || !this.format) return;
    this.busy = true;
    this.error = '';
    try {
      const { readImport } = await import('../import');
      const parsed = await readImport(this.#bytes, this.format, { password: this.password });
      this.password = '';
      const listing = await send('vault.list');
      if (!listing.ok) throw new Error(listing.message);
      const { findDuplicates } = await import('../import/duplicates');
      const byId = new Map(listing.value.entries.map((e) => [e.id, e.title]));
      this.duplicates = [...findDuplicates(parsed.entries, listing.value.entries)].map(([index, existingId]) => ({ index, existingId, title: byId.get(existingId) ?? '', decision: 'skip' }));
      this.parsed = parsed;
      this.step = 'preview';
    } catch (e) {
      this.fail(e);
    } finally {
      this.busy = false;
    }
  }

  /** Stages the entries in chunks (progress), then writes them all in one transaction. */
  async run(): Promise<void> {
    const parsed = this.parsed;
    if (!parsed) return;
    this.step = 'running';
    this.#cancelled = false;
    this.error = '';
    const decisions = new Map(this.duplicates.map((d) => [d.index, d]));
    const items: ImportItem[] = parsed.entries.map((entry, i) => {
      const d = decisions.get(i);
      return d ? { entry, decision: d.decision, ...(d.decision === 'merge' ? { existingId: d.existingId } : {}) } : { entry, decision: 'add' };
    });
    this.total = items.length;
    this.done = 0;
    this.phase = 'checking';
    try {
      const begun = await send('import.begin');
      if (!begun.ok) throw new Error(begun.message);
      this.#importId = begun.value.importId;
      for (let i = 0; i < items.length; i += IMPORT_CHUNK) {
        if (this.#cancelled) return;
        const r = await send('import.add', { importId: this.#importId, items: items.slice(i, i + IMPORT_CHUNK) });
        if (!r.ok) throw new Error(r.message);
        this.done = r.value.staged;
      }
      if (this.#cancelled) return;
      this.phase = 'writing';
      this.done = 0;
      const committed = await this.watch(this.#importId, send('import.commit', { importId: this.#importId }));
      this.#importId = undefined;
      if (this.#cancelled) return;
      if (!committed.ok) throw new Error(committed.message);
      this.outcome = { ...committed.value, problems: [...parsed.problems, ...committed.value.problems] };
      this.step = 'done';
      this.forget();
    } catch (e) {
      this.fail(e);
      this.step = 'preview';
    }
  }

  /** Shows how far the background has got with `commit` until it answers. */
  private async watch<T>(importId: string, commit: Promise<T>): Promise<T> {
    let settled = false;
    const poll = async () => {
      while (!settled) {
        await new Promise((r) => setTimeout(r, STATUS_MS));
        if (settled) return;
        const r = await send('import.status', { importId });
        if (!settled && r.ok) this.done = r.value.written;
      }
    };
    void poll();
    try {
      return await commit;
    } finally {
      settled = true;
    }
  }

  /** Stops a running import, also while it writes: nothing is written. */
  async cancel(): Promise<void> {
    this.#cancelled = true;
    const id = this.#importId;
    this.#importId = undefined;
    if (id) await send('import.cancel', { importId: id });
    this.reset();
  }

  setDecision(index: number, decision: ImportDecision): void {
    this.duplicates = this.duplicates.map((d) => (d.index === index ? { ...d, decision } : d));
  }

  reset(): void {
    this.forget();
    this.step = 'choose';
    this.fileName = '';
    this.format = undefined;
    this.error = '';
    this.duplicates = [];
    this.outcome = undefined;
    this.done = this.total = 0;
  }

  /** Drops the file and what was read from it. */
  private forget(): void {
    this.#bytes?.fill(0);
    this.#bytes = undefined;
    this.parsed = undefined;
    this.password = '';
  }

  private fail(e: unknown): void {
    this.error = e instanceof Error && e.message ? e.message : t('importFailed');
  }
}
