// Keeps the vault in step with the companion server: pushes local changes with the revision they
// started from, pulls what changed after the cursor, and merges when both sides changed an entry.
// Live updates come over a server-sent-events subscription; an alarm retries while offline.
import type { WxtBrowser as Browser } from 'wxt/browser';
import { associatedData } from '../crypto/ad';
import { open, seal } from '../crypto/aead';
import { fromBase64Url, fromUtf8, toBase64Url, utf8 } from '../crypto/encoding';
import { randomBytes } from '../crypto/random';
import { AppError } from '../errors';
import { apiError, createApiClient, type ApiClient, type TokenGetter, type VaultRecord } from '../api/client';
import type { AccountStatus } from '../messages/sync-protocol';
import type { EntryRecord, SyncRecord } from '../vault/db';
import { openFields, openItemKey, sealEntry } from '../vault/entry-crypto';
import { mergeEntry } from '../vault/merge';
import { decodeRecord, encodeRecord } from '../vault/record-codec';
import type { RemoteWrite, SyncAck, VaultRepository } from '../vault/repository';
import type { FullSessionService } from './session-service';
import type { VaultService } from './types';

export type CreateApi = (baseUrl: string, getToken: TokenGetter) => ApiClient;

export interface SyncDeps {
  browser: Browser;
  repo: VaultRepository;
  session: FullSessionService;
  vault: VaultService;
  createApi?: CreateApi;
  now?: () => number;
}

const SYNC_ALARM = 'latchkey.sync';
/** Stay well under the server's 1 MiB request limit. */
const MAX_BATCH_CHARS = 700 * 1024;
const MAX_BATCH_RECORDS = 500;
export const CONFLICT_TAG = 'conflict';
/** Upload a fresh overview snapshot after this many pushed changes, or this long after the last one. */
const SNAPSHOT_EVERY_CHANGES = 100;
const SNAPSHOT_EVERY_MS = 10 * 60_000;
/** The server's limit for a snapshot; a larger vault is simply downloaded record by record. */
const MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;

const tokenAd = () => associatedData({ kind: 'settings', id: 'session-token' });

export function sealToken(userKey: Uint8Array, token: string): Uint8Array {
  return seal(userKey, utf8(token), tokenAd());
}

export interface SyncService {
  /**
   * Starts syncing with a server account (after register or sign-in) and waits for the first sync.
   * With `firstSignIn`, a vault snapshot on the server is listed at once instead, and the records
   * follow in the background.
   */
  begin(sync: Omit<SyncRecord, 'key' | 'sealedToken'>, token: string, options?: { firstSignIn?: boolean }): Promise<void>;
  /** Stops syncing and forgets the session on this device. */
  end(): Promise<void>;
  api(): ApiClient;
  apiFor(serverUrl: string, token?: string): ApiClient;
  syncNow(): Promise<void>;
  status(): Promise<AccountStatus>;
}

export function createSyncService(deps: SyncDeps): SyncService {
  const { browser, repo, session, vault } = deps;
  const createApi = deps.createApi ?? ((url, getToken) => createApiClient(url, getToken));
  const now = deps.now ?? (() => Date.now());

  let client: ApiClient | undefined;
  let token: string | undefined;
  let subscription: { unsubscribe(): void } | undefined;
  let live = false;
  let lastError: string | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let applying = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function connect(): Promise<boolean> {
    if (client && token) return true;
    const meta = await repo.sync();
    if (!meta || session.state() !== 'unlocked') return false;
    try {
      token = fromUtf8(open(session.userKey(), meta.sealedToken, tokenAd()));
    } catch {
      lastError = 'The saved server session could not be opened. Sign in again.';
      return false;
    }
    client = createApi(meta.serverUrl, () => token);
    subscribe(meta.cursor);
    return true;
  }

  function disconnect(): void {
    subscription?.unsubscribe();
    subscription = undefined;
    client = undefined;
    token = undefined;
    live = false;
  }

  function subscribe(cursor: number): void {
    subscription?.unsubscribe();
    subscription = client?.events.onChange.subscribe(
      { cursor },
      {
        onStarted: () => {
          live = true;
        },
        onData: () => schedule(0),
        onError: (e) => {
          live = false;
          subscription = undefined;
          noteError(e);
        },
        onStopped: () => {
          live = false;
        },
      },
    );
  }

  function noteError(e: unknown): void {
    const err = apiError(e);
    lastError = err.message;
    if (err.code === 'UNAUTHENTICATED') {
      // Signed out elsewhere (or the session expired): stop trying with this token.
      lastError = 'You were signed out of the Latchkey server. Sign in again to keep syncing.';
      disconnect();
      void repo.putSync(undefined);
    }
  }

  function schedule(delayMs = 300): void {
    clearTimeout(timer);
    timer = setTimeout(() => void syncNow().catch(() => undefined), delayMs);
  }

  async function syncNow(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          if (!(await connect())) return;
          await pull();
          const pushed = await push();
          await uploadSnapshot(pushed);
          lastError = undefined;
        } while (again);
      } catch (e) {
        noteError(e);
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  /** Local edit and remote edit of the same entry: merge field by field, keep both on a real conflict. */
  async function resolve(local: EntryRecord, current: VaultRecord | null, writes: RemoteWrite[], extra: EntryRecord[]): Promise<void> {
    const key = session.userKey();
    if (current === null) {
      // The server has no such record any more: send ours again as new.
      writes.push({ id: local.id, record: local, serverRevision: 0, base: undefined, dirty: true, deleted: local.deleted === 1 });
      return;
    }
    if (current.deleted) {
      if (local.deleted === 1) writes.push({ id: local.id, record: null, serverRevision: current.revision, base: undefined, dirty: false });
      // Edited here, deleted there: keep the edit; the next push brings the entry back.
      else writes.push({ id: local.id, record: local, serverRevision: current.revision, base: undefined, dirty: true });
      return;
    }
    const remote = decodeRecord(current.data, local.id);
    if (local.deleted === 1) {
      // Deleted here, edited there: the edit wins, nothing is lost.
      writes.push({ id: local.id, record: remote, serverRevision: current.revision, base: undefined, dirty: false });
      return;
    }
    const base = local.base ? openFields(key, decodeRecord(local.base, local.id)) : undefined;
    const mine = openFields(key, local);
    const theirs = openFields(key, remote);
    const { merged, conflicts } = mergeEntry(base, mine, theirs);
    const t = now();
    const record = sealEntry(
      key,
      { id: local.id, revision: Math.max(local.revision, remote.revision) + 1, container: local.container, fields: merged, createdAt: local.createdAt, updatedAt: t },
      openItemKey(key, local),
    );
    writes.push({ id: local.id, record, serverRevision: current.revision, base: current.data, dirty: true });
    if (conflicts.length > 0) {
      const copy = { ...mine, title: `${mine.title} (conflicting copy)`, tags: [...new Set([...mine.tags, CONFLICT_TAG])] };
      extra.push(sealEntry(key, { id: toBase64Url(randomBytes(16)), revision: 1, container: local.container, fields: copy, createdAt: t, updatedAt: t }));
    }
  }

  async function pull(): Promise<void> {
    let meta = await repo.sync();
    if (!meta || !client) return;
    const changed: string[] = [];
    for (;;) {
      const page = await client.vault.changes.query({ cursor: meta.cursor, limit: 1000 });
      const writes: RemoteWrite[] = [];
      const extra: EntryRecord[] = [];
      const locals = await repo.entriesById(page.records.map((r) => r.id));
      for (const rec of page.records) {
        const local = locals.get(rec.id);
        try {
          if (local?.dirty === 1) {
            if (rec.revision !== local.serverRevision) await resolve(local, rec, writes, extra);
          } else if (rec.deleted) {
            if (local) writes.push({ id: rec.id, record: null, serverRevision: rec.revision, base: undefined, dirty: false });
          } else {
            writes.push({ id: rec.id, record: decodeRecord(rec.data, rec.id), serverRevision: rec.revision, base: undefined, dirty: false });
          }
          changed.push(rec.id);
        } catch (e) {
          lastError = e instanceof AppError ? e.message : `Entry ${rec.id} from the server could not be applied.`;
        }
      }
      await repo.applyRemote(writes, extra);
      changed.push(...extra.map((r) => r.id));
      meta = { ...meta, cursor: page.cursor, lastSyncAt: now() };
      await repo.putSync(meta);
      if (!page.more) break;
    }
    downloaded?.();
    downloaded = undefined;
    if (changed.length > 0) {
      applying = true;
      try {
        await vault.refresh(changed);
      } finally {
        applying = false;
      }
    }
  }

  /** Pushes every local change; returns how many the server took. */
  async function push(): Promise<number> {
    if (!client) return 0;
    const dirty = await repo.dirtyEntries();
    let pushed = 0;
    let batch: { record: EntryRecord; data: string }[] = [];
    let chars = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const sent = batch;
      batch = [];
      chars = 0;
      const { results } = await client!.vault.putMany.mutate({
        records: sent.map(({ record, data }) => ({ id: record.id, baseRevision: record.serverRevision ?? 0, data: record.deleted === 1 ? '' : data, deleted: record.deleted === 1 })),
      });
      const writes: RemoteWrite[] = [];
      const extra: EntryRecord[] = [];
      const acks: SyncAck[] = [];
      for (const [i, r] of results.entries()) {
        const { record, data } = sent[i]!;
        if (r.status === 'ok') acks.push({ id: record.id, localRevision: record.revision, serverRevision: r.revision, sent: data, deleted: record.deleted === 1 });
        else {
          await resolve(record, r.current, writes, extra);
          again = true;
        }
      }
      await repo.markSynced(acks);
      pushed += acks.length;
      if (writes.length > 0 || extra.length > 0) {
        await repo.applyRemote(writes, extra);
        applying = true;
        try {
          await vault.refresh([...writes.map((w) => w.id), ...extra.map((r) => r.id)]);
        } finally {
          applying = false;
        }
      }
    };
    for (const record of dirty) {
      const data = record.deleted === 1 ? '' : encodeRecord(record);
      if (batch.length >= MAX_BATCH_RECORDS || chars + data.length > MAX_BATCH_CHARS) await flush();
      batch.push({ record, data });
      chars += data.length;
    }
    await flush();
    return pushed;
  }

  /** Keeps the server's overview snapshot recent enough that a new device can list the vault at once. */
  async function uploadSnapshot(pushed: number): Promise<void> {
    const meta = await repo.sync();
    if (!meta || !client) return;
    const changes = (meta.snapshotChanges ?? 0) + pushed;
    const due = changes >= SNAPSHOT_EVERY_CHANGES || (changes > 0 && now() - (meta.snapshotUploadedAt ?? 0) >= SNAPSHOT_EVERY_MS);
    const sealed = due ? await vault.sealedSnapshot() : undefined;
    if (!sealed || sealed.length > MAX_SNAPSHOT_BYTES) {
      if (pushed > 0) await repo.putSync({ ...meta, snapshotChanges: changes });
      return;
    }
    await client.vault.putSnapshot.mutate({ data: toBase64Url(sealed) });
    await repo.putSync({ ...((await repo.sync()) ?? meta), snapshotChanges: 0, snapshotUploadedAt: now() });
  }

  /**
   * One record straight from the server, for an entry opened during the first download (its record
   * may not be here yet, or queued behind the download's writes). It is also stored as the
   * download would store it, so an edit of it syncs like any other.
   */
  async function fetchRecord(id: string): Promise<EntryRecord | undefined> {
    const notHere = () => new AppError('NETWORK', 'This entry has not been downloaded yet, and the Latchkey server cannot be reached. Try again when you are online.', { subject: id });
    if (!client) throw notHere();
    const { records } = await client.vault.records.query({ ids: [id] }).catch(() => {
      throw notHere();
    });
    const rec = records[0];
    if (!rec || rec.deleted) return undefined;
    const record = decodeRecord(rec.data, id);
    // Not awaited: the download's large writes may hold the store, and a write queued after this
    // one (an edit) still finds the record there.
    void repo.putRemoteIfAbsent({ id, record, serverRevision: rec.revision, base: undefined, dirty: false }).catch(() => undefined);
    return record;
  }

  /** Resolves the first download's `done` once a pull has reached the end. */
  let downloaded: (() => void) | undefined;

  /** First sign-in: lists the vault from the server's snapshot while the records download. */
  async function listFromServerSnapshot(): Promise<boolean> {
    if (!(await connect()) || !client) return false;
    const snapshot = await client.vault.snapshot.query().catch(() => null);
    if (!snapshot) return false;
    const sealed = fromBase64Url(snapshot.data);
    const done = new Promise<void>((resolve) => (downloaded = resolve));
    if (!vault.adoptSnapshot(sealed, { done, fetch: fetchRecord })) {
      downloaded = undefined;
      return false;
    }
    await repo.putSnapshot(sealed);
    void syncNow();
    return true;
  }

  vault.onChange(() => {
    if (!applying) schedule();
  });
  session.onUnlock(() => void syncNow());
  session.onLock(() => {
    clearTimeout(timer);
    disconnect();
  });
  void browser.alarms.create(SYNC_ALARM, { periodInMinutes: 1 });
  browser.alarms.onAlarm.addListener((alarm: { name: string }) => {
    if (alarm.name !== SYNC_ALARM || session.state() !== 'unlocked') return;
    if (!live) disconnect(); // reconnect the live stream as well
    void syncNow();
  });

  return {
    async begin(sync, newToken, options = {}) {
      disconnect();
      await repo.putSync({ ...sync, key: 'sync', sealedToken: sealToken(session.userKey(), newToken) });
      lastError = undefined;
      if (options.firstSignIn && (await listFromServerSnapshot())) return;
      await syncNow();
    },
    async end() {
      disconnect();
      await repo.putSync(undefined);
    },
    api() {
      if (!client) throw new AppError('UNAUTHENTICATED', 'This vault is not signed in to a Latchkey server.');
      return client;
    },
    apiFor(serverUrl, withToken) {
      return createApi(serverUrl, () => withToken);
    },
    syncNow,
    async status() {
      const meta = await repo.sync();
      const pending = meta ? await repo.dirtyCount() : 0;
      let conflicts = 0;
      if (session.state() === 'unlocked') conflicts = (await vault.summaries()).filter((s) => s.tags.includes(CONFLICT_TAG)).length;
      return {
        signedIn: !!meta,
        serverUrl: meta?.serverUrl ?? '',
        username: meta?.username,
        pending,
        conflicts,
        lastSyncAt: meta?.lastSyncAt || undefined,
        lastError,
        live,
      };
    },
  };
}

