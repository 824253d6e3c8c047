// The unlocked vault's entry operations: list, read, save, delete, write many, and take in what
// sync changed. What is in memory is loaded by vault-loader.ts (overviews from one sealed snapshot,
// every record verified in the background); passwords and notes are opened only when one entry is
// asked for. The stored snapshot is kept current by vault-snapshot-writer.ts.
import { AppError } from '../errors';
import type { VaultChange } from '../messages/protocol';
import type { MessageRouter } from '../messages/router';
import type { EntryRecord } from '../vault/db';
import { openDetails } from '../vault/entry-crypto';
import { passwordHistoryOf } from '../vault/password-history';
import type { VaultRepository } from '../vault/repository';
import { openSnapshot, sealSnapshot, SNAPSHOT_MIN_ENTRIES } from '../vault/snapshot';
import type { PasswordInfo, RecordSource, SessionService, VaultService } from './types';
import { passwordChangedAtOf } from '../vault/password-date';
import { describe, newEntryId, requireBaseRevision, validateFields } from './entry-fields';
import { mergeEdit } from '../vault/merge';
import { fieldsOf, PERSONAL, sealConflictCopy, sealWrite, type OpenedEntry } from './entry-write';
import { sealInChunks, type PreparedWrite } from './vault-batch';
import { createVaultLoader, openRow, problemOf, summariesOf, type Loaded } from './vault-loader';
import { createSnapshotWriter } from './vault-snapshot-writer';
import { keyOfRecord, personalKeys, type ContainerKeys } from './container-keys';
import { listed, underEpoch, type VaultShares } from './vault-shares';
import { t } from '../i18n';

export { newEntryId, validateFields };

export interface VaultDeps {
  router: MessageRouter;
  repo: VaultRepository;
  session: SessionService;
  /** The key of each entry record's container and epoch (default: the personal vault only). */
  keys?: ContainerKeys;
  shares?: VaultShares;
  now?: () => number;
}

export type { VaultShares };

type Opened = OpenedEntry;

/** More changed entries than this are announced as "anything may have changed". */
const MAX_NAMED_CHANGES = 200;

export function createVaultService(deps: VaultDeps): VaultService {
  const { router, repo, session } = deps;
  const keys = deps.keys ?? personalKeys(session);


  const now = deps.now ?? (() => Date.now());
  const changeListeners = new Set<(change: VaultChange) => void>();

  /**
   * Local changes name their entries; `remote` ones came in through sync; null ids: anything may
   * have. A large change (an import) names none, so that pages are not sent thousands of ids.
   */
  function changed(ids: string[] | null = null, remote = false): void {
    const named = ids && ids.length <= MAX_NAMED_CHANGES ? ids : null;
    for (const l of changeListeners) l({ ids: named, remote });
  }

  const snapshots = createSnapshotWriter({ repo, session, isCurrent: (l) => loader.isCurrent(l) });
  const loader = createVaultLoader({ repo, session, keys, scheduleSnapshot: (l) => snapshots.schedule(l), changed });
  const loaded = () => loader.loaded();
  const scheduleSnapshot = (l: Loaded) => snapshots.schedule(l);

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
    const o = row ? openRow(keys, row) : undefined;
    if (!o) throw new AppError('NOT_FOUND', t('errorEntryGone'), { subject: id });
    l.entries.set(id, o);
    return o;
  }

  const service: VaultService = {
    async summaries() {
      return listed(await loaded(), false, deps.shares);
    },

    async listing() {
      const l = await loaded();
      return { entries: listed(l, false, deps.shares), problems: l.problems };
    },

    async trashed() {
      return listed(await loaded(), true, deps.shares);
    },

    async get(id) {
      const c = await opened(id);
      // When the password changed stays in the background (health); the entry is what was typed,
      // the passwords it had before, and its dates.
      const { passwordChangedAt: _at, passwordHistory, ...details } = openDetails(c.itemKey, c.record);
      const { hasPassword: _omit, id: _id, revision, updatedAt, ...overview } = c.summary;
      return { ...overview, ...details, id, revision, updatedAt, createdAt: c.record.createdAt, passwordHistory: passwordHistoryOf(passwordHistory) };
    },

    async setTrashed(id, trashedAt) {
      const l = await loaded();
      const existing = await opened(id);
      deps.shares?.requireWrite(existing.record.container, id);
      const next = underEpoch(sealWrite(keyOfRecord(keys, existing.record), fieldsOf(existing), existing, now(), PERSONAL, { trashedAt }), existing.record.keyEpoch ?? 0);
      await repo.putEntry(next.record, existing.record.revision);
      l.entries.set(id, next);
      scheduleSnapshot(l);
      changed([id]);
      return next.summary;
    },

    async passwords(ids) {
      const l = await loaded();
      // Records a snapshot listed but not read yet are read in one request, not one by one.
      const unread = ids.filter((id) => l.entries.get(id) && !l.entries.get(id)!.record);
      if (unread.length > 0 && !l.source) {
        const rows = await repo.entriesById(unread);
        for (const id of unread) {
          try {
            const o = rows.has(id) ? openRow(keys, rows.get(id)) : undefined;
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

    async save(input) {
      const { id, baseRevision, fields } = input;
      session.userKey();
      requireBaseRevision(input);
      const valid = validateFields(fields, id);
      const l = await loaded();
      if (id !== undefined && !l.entries.has(id)) {
        throw new AppError('NOT_FOUND', t('errorEntryGoneNamed', describe(valid, id)), { subject: id });
      }
      const existing = id === undefined ? undefined : await opened(id);
      if (existing) deps.shares?.requireWrite(existing.record.container, existing.record.id);
      if (existing && baseRevision !== existing.record.revision) {
        // Changed meanwhile (another device, another page): merged field by field with what the
        // form started from, as sync merges; without that starting point it cannot be, and is refused.
        if (!input.baseFields) throw new AppError('CONFLICT', t('errorEntryChangedWhileEditing', describe(valid, id)), { subject: id });
        const merge = mergeEdit(validateFields(input.baseFields, id), valid, fieldsOf(existing));
        const at = now();
        const next = underEpoch(sealWrite(keyOfRecord(keys, existing.record), merge.fields, existing, at), existing.record.keyEpoch ?? 0);
        // A conflict copy of a shared entry is mine alone: it goes into my personal vault.
        const copy = merge.copy ? sealConflictCopy(keys.keyFor(PERSONAL, 0), merge.copy, next, at, PERSONAL) : undefined;
        await repo.putBatch([{ record: next.record, expectedRevision: existing.record.revision }, ...(copy ? [{ record: copy.record, expectedRevision: 0 }] : [])]);
        l.entries.set(next.record.id, next);
        if (copy) l.entries.set(copy.record.id, copy);
        scheduleSnapshot(l);
        changed(copy ? [next.record.id, copy.record.id] : [next.record.id]);
        return copy ? { ...next.summary, conflictCopy: copy.summary.id } : next.summary;
      }
      // A new entry saved into a shared folder joins that share.
      const place = existing ? undefined : deps.shares?.placeNew(valid.folder);
      const container = existing?.record.container ?? place?.container ?? PERSONAL;
      const epoch = existing ? (existing.record.keyEpoch ?? 0) : (place?.epoch ?? 0);
      const next = underEpoch(sealWrite(keys.keyFor(container, epoch), valid, existing, now(), container), epoch);
      const { record, summary } = next;
      await repo.putEntry(record, existing?.record.revision ?? 0);
      l.entries.set(record.id, next);
      scheduleSnapshot(l);
      changed([record.id]);
      return summary;
    },

    async remove(id) {
      const l = await loaded();
      if (!l.entries.has(id)) throw new AppError('NOT_FOUND', t('errorEntryAlreadyDeleted'), { subject: id });
      const c = l.entries.get(id)!;
      if (l.source || !c.record) await opened(id); // the record must be here, or its download would bring it back
      const record = l.entries.get(id)?.record;
      if (record) deps.shares?.requireWrite(record.container, id);
      await repo.deleteEntry(id);
      l.entries.delete(id);
      scheduleSnapshot(l);
      changed([id]);
    },

    async writeBatch(items, onProgress) {
      const key = session.userKey();
      const l = await loaded();
      const prepared: PreparedWrite[] = [];
      for (const item of items) {
        requireBaseRevision(item);
        const valid = validateFields(item.fields, item.id);
        const existing = item.id === undefined ? undefined : await opened(item.id);
        if (existing && item.baseRevision !== existing.record.revision) {
          throw new AppError('CONFLICT', t('errorEntryChangedMeanwhile', describe(valid, item.id)), { subject: item.id });
        }
        prepared.push({ fields: valid, existing });
      }
      const written: Opened[] = [];
      await repo.putChunks(sealInChunks(key, prepared, { container: PERSONAL, at: now(), sealed: written, onProgress }));
      for (const c of written) l.entries.set(c.record.id, c);
      if (written.length > 0) {
        scheduleSnapshot(l);
        changed(written.map((c) => c.record.id));
      }
      return written.map((c) => c.summary);
    },

    async refresh(ids) {
      if (!loader.pending()) return; // not loaded yet: the next listing reads everything fresh
      if (ids.length > 200) {
        // A large pull (first sign-in, bulk edit elsewhere): one fresh read beats many small ones.
        loader.reset();
        changed(null, true);
        return;
      }
      const l = await loaded();
      for (const id of ids) {
        const row = await repo.entry(id);
        l.problems = l.problems.filter((p) => p.id !== id);
        if (!row || (row as EntryRecord).deleted === 1) {
          l.entries.delete(id);
          continue;
        }
        try {
          const o = openRow(keys, row);
          if (o) l.entries.set(id, o);
          else l.entries.delete(id);
        } catch (e) {
          l.entries.delete(id);
          l.problems.push(problemOf(e, row));
        }
      }
      if (ids.length > 0) {
        scheduleSnapshot(l);
        changed(ids, true);
      }
    },

    adoptSnapshot(sealed, source) {
      const key = session.userKey();
      const snapshot = openSnapshot(key, sealed);
      if (!snapshot || snapshot.size < SNAPSHOT_MIN_ENTRIES) return false;
      const l: Loaded = { entries: new Map([...snapshot].map(([id, summary]) => [id, { summary }])), problems: [], source };
      const p = loader.adopt(l);
      // When the records are all here, read the vault again the usual way: snapshot checked
      // against every record's revision, then every record verified in the background.
      void source.done.finally(() => {
        if (loader.pending() === p) {
          loader.reset();
          changed(null, true);
        }
      });
      changed(null, true);
      return true;
    },

    async sealedSnapshot() {
      const pending = loader.pending();
      if (!pending) return undefined;
      const l = await pending;
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
