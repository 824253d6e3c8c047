// Loading the unlocked vault into memory: every entry's overview from one sealed snapshot (checked
// against the stored record ids), the records it does not cover opened at once, and then every
// record opened in the background, so a record changed outside Latchkey, or a revision newer than
// the snapshot, is caught. The vault service (vault-service.ts) works on what this loads.
import { AppError } from '../errors';
import type { EntrySummary } from '../model/entry';
import type { VaultListing } from '../messages/protocol';
import type { EntryRecord } from '../vault/db';
import { assertRecordShape, openItemKey, openOverview } from '../vault/entry-crypto';
import type { VaultRepository } from '../vault/repository';
import { openSnapshot } from '../vault/snapshot';
import { toSummary } from './entry-fields';
import type { OpenedEntry } from './entry-write';
import { keyOfRecord, type ContainerKeys } from './container-keys';
import type { RecordSource, SessionService } from './types';
import { t } from '../i18n';

export interface Cached {
  summary: EntrySummary;
  /** Read and opened on first use when the summary came from the snapshot. */
  record?: EntryRecord;
  itemKey?: Uint8Array;
}

export interface Loaded {
  entries: Map<string, Cached>;
  problems: VaultListing['problems'];
  /** Set while the records behind a snapshot from the server are still on their way. */
  source?: RecordSource;
}

// Small chunks keep each pause of the service worker short while the popup is asking for rows.
const VERIFY_CHUNK = 100;

export function problemOf(e: unknown, row: unknown): VaultListing['problems'][number] {
  const err = e instanceof AppError ? e : new AppError('CORRUPT_RECORD', t('errorEntryUnopenable'));
  const id = err.subject ?? (typeof (row as { id?: unknown })?.id === 'string' ? (row as { id: string }).id : 'unknown');
  return { id, code: err.code, message: err.message };
}

export function openRow(keys: ContainerKeys, row: unknown): OpenedEntry | undefined {
  assertRecordShape(row);
  if (row.deleted === 1) return undefined;
  const itemKey = openItemKey(keyOfRecord(keys, row), row);
  return { record: row, itemKey, summary: toSummary(row, openOverview(itemKey, row)) };
}

export function* summariesOf(l: Loaded): Generator<EntrySummary> {
  for (const c of l.entries.values()) yield c.summary;
}

export interface LoaderDeps {
  repo: VaultRepository;
  session: SessionService;
  keys: ContainerKeys;
  /** A snapshot of `l` is due (it changed, or the stored one was not current). */
  scheduleSnapshot(l: Loaded): void;
  /** The verification pass changed what is listed. */
  changed(): void;
}

export interface VaultLoader {
  /** The loaded vault, loading it first if needed; throws LOCKED. */
  loaded(): Promise<Loaded>;
  /** The load in memory or under way, if any (none before the first listing, or after reset). */
  pending(): Promise<Loaded> | undefined;
  /** Forgets what is loaded: the next listing reads everything fresh. */
  reset(): void;
  /** Makes `l` (listed from a snapshot from the server) the loaded vault. */
  adopt(l: Loaded): Promise<Loaded>;
  /** False once `l` was locked away or replaced by another load, so late work on it stops. */
  isCurrent(l: Loaded): boolean;
}

export function createVaultLoader(deps: LoaderDeps): VaultLoader {
  const { repo, session, keys } = deps;
  let loading: Promise<Loaded> | undefined;
  // The promise a Loaded came from, so late work can tell it was locked or reloaded meanwhile.
  const origins = new WeakMap<Loaded, Promise<Loaded>>();
  const isCurrent = (l: Loaded) => loading !== undefined && loading === origins.get(l);

  /** Opens every record whose overview came from the snapshot, a chunk at a time. */
  async function verify(l: Loaded): Promise<void> {
    const pending = [...l.entries.entries()].filter(([, c]) => !c.record).map(([id]) => id);
    let found = false;
    for (let i = 0; i < pending.length; i += VERIFY_CHUNK) {
      await new Promise((r) => setTimeout(r, 0));
      if (loading !== origins.get(l)) return;
      const ids = pending.slice(i, i + VERIFY_CHUNK);
      const rows = await repo.entriesById(ids);
      for (const id of ids) {
        const c = l.entries.get(id);
        if (!c || c.record) continue;
        const row = rows.get(id);
        try {
          const opened = row ? openRow(keys, row) : undefined;
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
      deps.scheduleSnapshot(l);
      deps.changed();
    }
  }

  const readStored = () => Promise.all([repo.entryIds(), repo.snapshot()]);
  /** What load() reads first, read while the key is still being derived (no key needed for it). */
  let prefetched: ReturnType<typeof readStored> | undefined;

  async function load(): Promise<Loaded> {
    const key = session.userKey();
    await keys.ready();
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
        const opened = row ? openRow(keys, row) : undefined;
        if (opened) entries.set(id, opened);
      } catch (e) {
        problems.push(problemOf(e, row));
      }
    }
    return { entries, problems };
  }

  function loaded(): Promise<Loaded> {
    session.userKey(); // throws LOCKED
    if (!loading) {
      const p: Promise<Loaded> = load().then(
        (l) => {
          origins.set(l, p);
          const fromSnapshot = [...l.entries.values()].some((c) => !c.record);
          if (fromSnapshot) void verify(l);
          if (!fromSnapshot || l.entries.size === 0 || [...l.entries.values()].some((c) => c.record)) deps.scheduleSnapshot(l);
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

  session.onLock(() => {
    prefetched = undefined;
    const prev = loading;
    loading = undefined;
    void prev?.then((l) => {
      for (const c of l.entries.values()) c.itemKey?.fill(0);
      l.entries.clear();
    }, () => undefined);
  });

  return {
    loaded,
    pending: () => loading,
    reset() {
      loading = undefined;
    },
    adopt(l) {
      const p = Promise.resolve(l);
      origins.set(l, p);
      loading = p;
      return p;
    },
    isCurrent,
  };
}
