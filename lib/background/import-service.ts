// Imports into the vault. The options page reads a file into ImportedEntry values and sends them
// in chunks; each chunk is checked here and kept in memory only; commit writes them all through the
// vault's entry path (validated and sealed as a typed entry, so sync picks them up) in one
// transaction. Nothing of an import is ever stored until then, and cancel, lock or a timeout drop it.
import { z } from 'zod';
import { toBase64Url } from '../crypto/encoding';
import { randomBytes } from '../crypto/random';
import { AppError } from '../errors';
import { mergeImported } from '../import/duplicates';
import { fallbackTitle, type ImportedEntry, type ImportProblem } from '../import/model';
import type { ImportItem, ImportOutcome } from '../messages/import-protocol';
import type { ImportResult } from '../messages/protocol';
import type { MessageRouter } from '../messages/router';
import { DEFAULT_AUTOLOGIN, MATCH_MODES, type EntryFields, type EntryWrite } from '../model/entry';
import { normalizeTotp } from '../totp';
import type { SessionService, VaultService } from './types';
import { validateFields } from './entry-fields';
import { t } from '../i18n';

export interface ImportDeps {
  router: MessageRouter;
  vault: VaultService;
  session: SessionService;
  /** How long a staged import waits for its commit. */
  stagingMs?: number;
}

const MAX_STAGED = 50_000;
const MAX_CHUNK = 5_000;
const STAGING_MS = 10 * 60 * 1000;

const entrySchema = z.object({
  line: z.number().int().min(0),
  title: z.string(),
  username: z.string(),
  password: z.string(),
  urls: z.array(z.string()),
  notes: z.string(),
  tags: z.array(z.string()),
  folder: z.string(),
  totp: z.string().optional(),
  autologin: z.object({ enabled: z.boolean(), autoSubmit: z.boolean(), match: z.enum(MATCH_MODES) }).optional(),
});
const itemSchema = z.object({ entry: entrySchema, decision: z.enum(['add', 'skip', 'merge']), existingId: z.string().optional() });

interface Staged {
  fields: EntryFields | undefined;
  decision: ImportItem['decision'];
  existingId?: string;
}

interface Staging {
  items: Staged[];
  problems: ImportProblem[];
  timer: ReturnType<typeof setTimeout>;
  /** Entries sealed and handed to the store by a commit under way (written when it settles). */
  written: number;
  /** Set by cancel or lock: a commit under way stops before its next chunk and writes nothing. */
  stopped: boolean;
}

/** An imported entry as the fields of a typed entry; a one-time code that does not read goes into the notes. */
export function toFields(e: ImportedEntry, problems: ImportProblem[]): EntryFields {
  let totp: string | undefined;
  let notes = e.notes;
  if (e.totp?.trim()) {
    try {
      totp = normalizeTotp(e.totp);
    } catch {
      notes = notes ? `${notes}\n\nOne-time code: ${e.totp}` : `One-time code: ${e.totp}`;
      problems.push({ line: e.line, message: t('importProblemTotpKept', e.line) });
    }
  }
  const fields: EntryFields = {
    title: fallbackTitle(e),
    username: e.username,
    password: e.password,
    urls: e.urls,
    notes,
    tags: e.tags,
    folder: e.folder,
    autologin: e.autologin ?? { ...DEFAULT_AUTOLOGIN },
    ...(totp ? { totp } : {}),
  };
  return validateFields(fields);
}

export function createImportService(deps: ImportDeps) {
  const { router, vault, session } = deps;
  const stagingMs = deps.stagingMs ?? STAGING_MS;
  const staged = new Map<string, Staging>();

  function drop(id: string): void {
    const s = staged.get(id);
    if (!s) return;
    clearTimeout(s.timer);
    s.items.length = 0;
    s.stopped = true;
    staged.delete(id);
  }

  session.onLock(() => {
    for (const id of [...staged.keys()]) drop(id);
  });

  function staging(id: string): Staging {
    const s = staged.get(id);
    if (!s) throw new AppError('NOT_FOUND', t('errorImportExpired'));
    return s;
  }

  function stage(s: Staging, items: unknown[]): ImportProblem[] {
    const problems: ImportProblem[] = [];
    for (const raw of items) {
      const parsed = itemSchema.safeParse(raw);
      if (!parsed.success) throw new AppError('BAD_INPUT', t('errorImportUnreadableEntry'));
      const { entry, decision, existingId } = parsed.data;
      if (decision === 'merge' && !existingId) throw new AppError('BAD_INPUT', t('errorImportMergeTarget', entry.line));
      if (decision === 'skip') {
        s.items.push({ fields: undefined, decision });
        continue;
      }
      try {
        s.items.push({ fields: toFields(entry, problems), decision, existingId });
      } catch (e) {
        const why = e instanceof AppError ? e.message : 'it could not be read';
        problems.push({ line: entry.line, message: t('importProblemLeftOut', entry.line, why) });
      }
    }
    s.problems.push(...problems);
    return problems;
  }

  async function commit(s: Staging): Promise<ImportOutcome> {
    const writes: EntryWrite[] = [];
    let merged = 0;
    let skipped = 0;
    for (const item of s.items) {
      if (!item.fields) {
        skipped++;
        continue;
      }
      if (item.decision === 'merge' && item.existingId) {
        const existing = await vault.get(item.existingId);
        const { id, revision, createdAt: _c, updatedAt: _u, ...fields } = existing;
        writes.push({ id, baseRevision: revision, fields: mergeImported(fields, item.fields) });
        merged++;
      } else {
        writes.push({ fields: item.fields });
      }
    }
    // One transaction; cancel or lock while it runs makes the next chunk throw, which writes nothing.
    await vault.writeBatch(writes, (written) => {
      if (s.stopped) throw new AppError('NOT_FOUND', t('errorImportExpired'));
      s.written = written;
    });
    return { added: writes.length - merged, merged, skipped, problems: s.problems };
  }

  router.on('import.begin', () => {
    session.userKey(); // throws LOCKED
    const importId = toBase64Url(randomBytes(16));
    staged.set(importId, { items: [], problems: [], timer: setTimeout(() => drop(importId), stagingMs), written: 0, stopped: false });
    return { importId };
  });

  router.on('import.add', ({ importId, items }) => {
    session.userKey();
    const s = staging(importId);
    if (!Array.isArray(items) || items.length > MAX_CHUNK) throw new AppError('BAD_INPUT', t('errorImportChunk', MAX_CHUNK));
    if (s.items.length + items.length > MAX_STAGED) {
      drop(importId);
      throw new AppError('TOO_LARGE', t('errorImportTooMany', MAX_STAGED));
    }
    const problems = stage(s, items);
    return { staged: s.items.length, problems };
  });

  router.on('import.commit', async ({ importId }) => {
    const s = staging(importId);
    clearTimeout(s.timer); // a long write is not a staging that waited too long
    try {
      return await commit(s);
    } finally {
      drop(importId);
    }
  });

  router.on('import.cancel', ({ importId }) => drop(importId));

  // How far a commit has got, for the options page's progress while it writes.
  router.on('import.status', ({ importId }) => {
    const s = staging(importId);
    return { staged: s.items.length, written: s.written };
  });

  // The older one-call import (tests, benchmarks): every well-formed record is written in one batch.
  router.on('vault.import', async ({ records }) => importRecords(records));

  async function importRecords(records: unknown): Promise<ImportResult> {
    session.userKey();
    if (!Array.isArray(records)) throw new AppError('BAD_INPUT', t('errorImportNotList'));
    const errors: ImportResult['errors'] = [];
    const writes: { fields: EntryFields }[] = [];
    records.forEach((raw, index) => {
      const r = (raw ?? {}) as Record<string, unknown>;
      const title = typeof r.title === 'string' && r.title.trim() ? `"${r.title.slice(0, 60)}"` : 'the new entry';
      const urls = r.urls ?? (typeof r.url === 'string' ? [r.url] : []);
      const candidate = { title: r.title, username: r.username ?? '', password: r.password ?? '', urls, notes: r.notes ?? '', tags: r.tags ?? [], folder: r.folder ?? '', autologin: { ...DEFAULT_AUTOLOGIN } };
      try {
        if (typeof raw !== 'object' || raw === null || typeof r.title !== 'string') throw new AppError('BAD_INPUT', t('errorImportTitleMissing'));
        writes.push({ fields: validateFields(candidate) });
      } catch (e) {
        errors.push({ index, message: t('importProblemMalformed', index + 1, title, e instanceof AppError ? e.message : t('importProblemUnreadable')) });
      }
    });
    await vault.writeBatch(writes);
    return { imported: writes.length, errors };
  }

  return { importRecords, stagedCount: () => staged.size };
}
