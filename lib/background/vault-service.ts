// The unlocked vault: every entry's overview kept in memory for listing and matching; passwords
// and notes are opened only when one entry is asked for. Unlock reads the overviews from one
// sealed snapshot (checked against the stored record ids) and then opens every record in the
// background, so a record changed outside Latchkey, or a revision newer than the snapshot, is caught.
import { AppError } from '../errors';
import type { Entry, EntryFields, EntrySummary } from '../model/entry';
import type { VaultListing } from '../messages/protocol';
import type { MessageRouter } from '../messages/router';
import type { EntryRecord } from '../vault/db';
import { assertRecordShape, openDetails, openItemKey, openOverview } from '../vault/entry-crypto';
import type { VaultRepository } from '../vault/repository';
import { openSnapshot, sealSnapshot, SNAPSHOT_MIN_ENTRIES } from '../vault/snapshot';
import type { PasswordInfo, RecordSource, SessionService, VaultService } from './types';
import { passwordChangedAtOf } from '../vault/password-date';
import { describe, newEntryId, toSummary, validateFields } from './entry-fields';
import { PERSONAL, sealWrite, type OpenedEntry } from './entry-write';
import { sealInChunks, type PreparedWrite } from './vault-batch';
import { t } from '../i18n';

export { newEntryId, validateFields };

export interface VaultDeps {
  router: MessageRouter;
  repo: VaultRepository;
  session: SessionService;
  now?: () => number;
}

interface Cached {
  summary: EntrySummary;
  /** Read and opened on first use when the summary came from the snapshot. */
  record?: EntryRecord;
  itemKey?: Uint8Array;
}

type Opened = OpenedEntry;

const SNAPSHOT_DELAY_MS = 1000;
// Small chunks keep each pause of the service worker short while the popup is asking for rows.
const VERIFY_CHUNK = 100;

interface Loaded {
  entries: Map<string, Cached>;
  problems: VaultListing['problems'];
  /** Set while the records behind a snapshot from the server are still on their way. */
  source?: RecordSource;
}

export function createVaultService(deps: VaultDeps): VaultService {
  const { router, repo, session } = deps;
  const now = deps.now ?? (() => Date.now());
  let loading: Promise<Loaded> | undefined;
  const changeListeners = new Set<() => void>();

  function changed(): void {
    for (const l of changeListeners) l();
  }

  let snapshotTimer: ReturnType<typeof setTimeout> | undefined;

  function problemOf(e: unknown, row: unknown): VaultListing['problems'][number] {
    const err = e instanceof AppError ? e : new AppError('CORRUPT_RECORD', t('errorEntryUnopenable'));
    const id = err.subject ?? (typeof (row as { id?: unknown })?.id === 'string' ? (row as { id: string }).id : 'unknown');
    return { id, code: err.code, message: err.message };
  }

  function openRow(key: Uint8Array, row: unknown): Opened | undefined {
    assertRecordShape(row);
    if (row.deleted === 1) return undefined;
    const itemKey = openItemKey(key, row);
    return { record: row, itemKey, summary: toSummary(row, openOverview(itemKey, row)) };
  }

  let writeSnapshot: (() => void) | undefined;

  function scheduleSnapshot(l: Loaded): void {
    clearTimeout(snapshotTimer);
    writeSnapshot = () => {
      writeSnapshot = undefined;
      if (loading !== current(l) || session.state() !== 'unlocked' || l.source) return;
      void repo.putSnapshot(sealSnapshot(session.userKey(), summariesOf(l))).catch(() => undefined);
    };
    snapshotTimer = setTimeout(writeSnapshot, SNAPSHOT_DELAY_MS);
  }

  // The promise a Loaded came from, so late work can tell it was locked or reloaded meanwhile.
  const origins = new WeakMap<Loaded, Promise<Loaded>>();
  const current = (l: Loaded) => origins.get(l);

  /** Opens every record whose overview came from the snapshot, a chunk at a time. */
  async function verify(l: Loaded, key: Uint8Array): Promise<void> {
    const pending = [...l.entries.entries()].filter(([, c]) => !c.record).map(([id]) => id);
    let found = false;
    for (let i = 0; i < pending.length; i += VERIFY_CHUNK) {
      await new Promise((r) => setTimeout(r, 0));
      if (loading !== current(l)) return;
      const ids = pending.slice(i, i + VERIFY_CHUNK);
      const rows = await repo.entriesById(ids);
      for (const id of ids) {
        const c = l.entries.get(id);
        if (!c || c.record) continue;
        const row = rows.get(id);
        try {
          const opened = row ? openRow(key, row) : undefined;
          if (!opened) {
            l.entries.delete(id);
            found = true;
          } else {
            if (opened.summary.revision !== c.summary.revision) found = true;
            l.entries.set(id, opened);
          }
        } catch (e) {
          l.entries.delete(id);
          l.problems.push(problemOf(e, row));
          found = true;
        }
      }
    }
    if (found) {
      scheduleSnapshot(l);
      changed();
    }
  }

  const readStored = () => Promise.all([repo.entryIds(), repo.snapshot()]);
  /** What load() reads first, read while the key is still being derived (no key needed for it). */
  let prefetched: ReturnType<typeof readStored> | undefined;

  async function load(): Promise<Loaded> {
    const key = session.userKey();
    // Only the ids are read here (one request); a revision that moved on since the snapshot was
    // sealed (a crash within a second of a change) is corrected by the verification pass.
    const [ids, sealed] = await (prefetched ?? readStored());
    prefetched = undefined;
    const snapshot = openSnapshot(key, sealed);
    const entries = new Map<string, Cached>();
    const problems: VaultListing['problems'] = [];
    const need: string[] = [];
    for (const id of ids) {
      const s = snapshot?.get(id);
      if (s) entries.set(id, { summary: s });
      else need.push(id);
    }
    const rows = need.length > 0 ? await repo.entriesById(need) : new Map<string, EntryRecord>();
    for (const id of need) {
      const row = rows.get(id);
      try {
        const opened = row ? openRow(key, row) : undefined;
        if (opened) entries.set(id, opened);
      } catch (e) {
        problems.push(problemOf(e, row));
      }
    }
    return { entries, problems };
  }

  function loaded(): Promise<Loaded> {
    const key = session.userKey(); // throws LOCKED
    if (!loading) {
      const p: Promise<Loaded> = load().then(
        (l) => {
          origins.set(l, p);
          const fromSnapshot = [...l.entries.values()].some((c) => !c.record);
          if (fromSnapshot) void verify(l, key);
          if (!fromSnapshot || l.entries.size === 0 || [...l.entries.values()].some((c) => c.record)) scheduleSnapshot(l);
          return l;
        },
        (e) => {
          loading = undefined;
          throw e;
        },
      );
      loading = p;
    }
    return loading;
  }

  // Nothing can change the records while the vault is locked, so they can be read during Argon2id.
  session.onUnlockStarted(() => {
    if (loading) return;
    const p = readStored();
    p.catch(() => undefined);
    prefetched = p;
  });

  // Open the vault as soon as it is unlocked, so the popup's first list finds it ready.
  session.onUnlock(() => void loaded().catch(() => undefined));

  // A snapshot still waiting is sealed before the key goes, so the next unlock opens one blob.
  session.onBeforeLock(() => {
    clearTimeout(snapshotTimer);
    writeSnapshot?.();
  });

  session.onLock(() => {
    clearTimeout(snapshotTimer);
    writeSnapshot = undefined;
    prefetched = undefined;
    const prev = loading;
    loading = undefined;
    void prev?.then((l) => {
      for (const c of l.entries.values()) c.itemKey?.fill(0);
      l.entries.clear();
    }, () => undefined);
  });

  function* summariesOf(l: Loaded): Generator<EntrySummary> {
    for (const c of l.entries.values()) yield c.summary;
  }

  /**
   * During a first download the record may not be here yet, or wait behind the download's writes:
   * the server sends just this one. Offline, what has arrived is used.
   */
  async function fromSource(source: RecordSource, id: string): Promise<unknown> {
    try {
      return (await source.fetch(id)) ?? (await repo.entry(id));
    } catch (e) {
      const local = await repo.entry(id);
      if (local) return local;
      throw e;
    }
  }

  /** The entry with its record read and item key opened. */
  async function opened(id: string): Promise<Opened> {
    const l = await loaded();
    const c = l.entries.get(id);
    if (!c) throw new AppError('NOT_FOUND', t('errorEntryGone'), { subject: id });
    if (c.record && c.itemKey) return c as Opened;
    const row = l.source ? await fromSource(l.source, id) : await repo.entry(id);
    const o = row ? openRow(session.userKey(), row) : undefined;
    if (!o) throw new AppError('NOT_FOUND', t('errorEntryGone'), { subject: id });
    l.entries.set(id, o);
    return o;
  }

  const service: VaultService = {
    async summaries() {
      return [...(await loaded()).entries.values()].map((c) => c.summary);
    },

    async listing() {
      const l = await loaded();
      return { entries: [...l.entries.values()].map((c) => c.summary), problems: l.problems };
    },

    async get(id) {
      const c = await opened(id);
      // When the password changed stays in the background (health); the entry is what was typed.
      const { passwordChangedAt: _at, ...details } = openDetails(c.itemKey, c.record);
      const { hasPassword: _omit, id: _id, revision, updatedAt, ...overview } = c.summary;
      return { ...overview, ...details, id, revision, updatedAt, createdAt: c.record.createdAt };
    },

    async passwords(ids) {
      const l = await loaded();
      // Records a snapshot listed but not read yet are read in one request, not one by one.
      const unread = ids.filter((id) => l.entries.get(id) && !l.entries.get(id)!.record);
      if (unread.length > 0 && !l.source) {
        const key = session.userKey();
        const rows = await repo.entriesById(unread);
        for (const id of unread) {
          try {
            const o = rows.has(id) ? openRow(key, rows.get(id)) : undefined;
            if (o && l.entries.has(id)) l.entries.set(id, o);
          } catch {
            // listed as a problem by the verification pass; health leaves it out
          }
        }
      }
      const out = new Map<string, PasswordInfo>();
      for (const id of ids) {
        try {
          const c = l.entries.get(id)?.record ? (l.entries.get(id) as Opened) : await opened(id);
          const details = openDetails(c.itemKey, c.record);
          out.set(id, { revision: c.record.revision, password: details.password, changedAt: passwordChangedAtOf(details, c.record) });
        } catch {
          // gone meanwhile, or unreadable: not part of the answer
        }
      }
      return out;
    },

    async save({ id, baseRevision, fields }) {
      const key = session.userKey();
      const valid = validateFields(fields, id);
      const l = await loaded();
      if (id !== undefined && !l.entries.has(id)) {
        throw new AppError('NOT_FOUND', t('errorEntryGoneNamed', describe(valid, id)), { subject: id });
      }
      const existing = id === undefined ? undefined : await opened(id);
      if (existing && baseRevision !== undefined && baseRevision !== existing.record.revision) {
        throw new AppError('CONFLICT', t('errorEntryChangedWhileEditing', describe(valid, id)), { subject: id });
      }
      const next = sealWrite(key, valid, existing, now());
      const { record, summary } = next;
      await repo.putEntry(record, existing?.record.revision ?? 0);
      l.entries.set(record.id, next);
      scheduleSnapshot(l);
      changed();
      return summary;
    },

    async remove(id) {
      const l = await loaded();
      if (!l.entries.has(id)) throw new AppError('NOT_FOUND', t('errorEntryAlreadyDeleted'), { subject: id });
      if (l.source) await opened(id); // the record must be here, or its download would bring it back
      await repo.deleteEntry(id);
      l.entries.delete(id);
      scheduleSnapshot(l);
      changed();
    },

    async writeBatch(items, onProgress) {
      const key = session.userKey();
      const l = await loaded();
      const prepared: PreparedWrite[] = [];
      for (const item of items) {
        const valid = validateFields(item.fields, item.id);
        const existing = item.id === undefined ? undefined : await opened(item.id);
        if (existing && item.baseRevision !== undefined && item.baseRevision !== existing.record.revision) {
          throw new AppError('CONFLICT', t('errorEntryChangedMeanwhile', describe(valid, item.id)), { subject: item.id });
        }
        prepared.push({ fields: valid, existing });
      }
      const written: Opened[] = [];
      await repo.putChunks(sealInChunks(key, prepared, { container: PERSONAL, at: now(), sealed: written, onProgress }));
      for (const c of written) l.entries.set(c.record.id, c);
      if (written.length > 0) {
        scheduleSnapshot(l);
        changed();
      }
      return written.map((c) => c.summary);
    },

    async refresh(ids) {
      if (!loading) return; // not loaded yet: the next listing reads everything fresh
      if (ids.length > 200) {
        // A large pull (first sign-in, bulk edit elsewhere): one fresh read beats many small ones.
        loading = undefined;
        changed();
        return;
      }
      const l = await loaded();
      const key = session.userKey();
      for (const id of ids) {
        const row = await repo.entry(id);
        l.problems = l.problems.filter((p) => p.id !== id);
        if (!row || (row as EntryRecord).deleted === 1) {
          l.entries.delete(id);
          continue;
        }
        try {
          const o = openRow(key, row);
          if (o) l.entries.set(id, o);
          else l.entries.delete(id);
        } catch (e) {
          l.entries.delete(id);
          l.problems.push(problemOf(e, row));
        }
      }
      if (ids.length > 0) {
        scheduleSnapshot(l);
        changed();
      }
    },

    adoptSnapshot(sealed, source) {
      const key = session.userKey();
      const snapshot = openSnapshot(key, sealed);
      if (!snapshot || snapshot.size < SNAPSHOT_MIN_ENTRIES) return false;
      const l: Loaded = { entries: new Map([...snapshot].map(([id, summary]) => [id, { summary }])), problems: [], source };
      const p = Promise.resolve(l);
      origins.set(l, p);
      loading = p;
      // When the records are all here, read the vault again the usual way: snapshot checked
      // against every record's revision, then every record verified in the background.
      void source.done.finally(() => {
        if (loading === p) {
          loading = undefined;
          changed();
        }
      });
      changed();
      return true;
    },

    async sealedSnapshot() {
      if (!loading) return undefined;
      const l = await loading;
      if (l.source || l.entries.size < SNAPSHOT_MIN_ENTRIES || session.state() !== 'unlocked') return undefined;
      return sealSnapshot(session.userKey(), summariesOf(l));
    },

    onChange(listener) {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
  };

  router.on('vault.list', () => service.listing());
  router.on('vault.get', ({ id }) => service.get(id));
  router.on('vault.save', (input) => service.save(input));
  router.on('vault.delete', ({ id }) => service.remove(id));

  return service;
}
