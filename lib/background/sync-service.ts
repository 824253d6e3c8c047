// Keeps the vault in step with the companion server: the connection and its session token, when to
// sync (live updates over a server-sent-events subscription, an alarm while offline), the overview
// snapshot, and the account's sync status. The records themselves move in sync-engine.ts.
import type { WxtBrowser as Browser } from 'wxt/browser';
import { open } from '../crypto/aead';
import { fromBase64Url, fromUtf8, toBase64Url } from '../crypto/encoding';
import { AppError } from '../errors';
import { t, tn } from '../i18n';
import { apiError, apiErrorDetails, createApiClient, type ApiClient, type TokenGetter } from '../api/client';
import type { VaultListing } from '../messages/protocol';
import type { AccountStatus } from '../messages/sync-protocol';
import type { SyncRecord } from '../vault/db';
import type { VaultRepository } from '../vault/repository';
import { createLiveCounters } from './live-counters';
import type { SyncService } from './sync-types';
import { createSyncEngine, type SharesInSync } from './sync-engine';
import { mebibytes, sealToken, tokenAd } from './sync-token';
import type { FullSessionService } from './session-service';
import type { VaultService } from './types';

export type CreateApi = (baseUrl: string, getToken: TokenGetter) => ApiClient;

export interface SyncDeps {
  browser: Browser;
  repo: VaultRepository;
  session: FullSessionService;
  vault: VaultService;
  createApi?: CreateApi;
  /** Shares in the same sync (share-sync.ts); without them only the personal vault syncs. */
  shares?: SharesInSync;
  now?: () => number;
}

const SYNC_ALARM = 'latchkey.sync';
/** How soon a sync asked for during a failed run is tried again. */
const RETRY_ASKED_MS = 1000;
/** Upload a fresh overview snapshot after this many pushed changes, or this long after the last one. */
const SNAPSHOT_EVERY_CHANGES = 100;
const SNAPSHOT_EVERY_MS = 10 * 60_000;
/** The server's limit for a snapshot; a larger vault is simply downloaded record by record. */
const MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;

export { sealToken };
export type { SyncService };

export function createSyncService(deps: SyncDeps): SyncService {
  const { browser, repo, session, vault } = deps;
  const createApi = deps.createApi ?? ((url, getToken) => createApiClient(url, getToken));
  const now = deps.now ?? (() => Date.now());

  let client: ApiClient | undefined;
  let token: string | undefined;
  let subscription: { unsubscribe(): void } | undefined;
  let live = false;
  let offline = false; // a sync failed for the network, or the live stream (reconnecting by itself, without onError) retries after an error
  let lastError: string | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  /** A sync was asked for while a run was on its way (a local change, a doorbell). */
  let askedDuringRun = false;
  let applying = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const counters = createLiveCounters();
  const engine = createSyncEngine({
    repo,
    session,
    now,
    client: () => client,
    shares: deps.shares,
    async refresh(ids) {
      applying = true;
      try {
        await vault.refresh(ids);
      } finally {
        applying = false;
      }
    },
  });

  async function connect(): Promise<boolean> {
    if (client && token) return true;
    const meta = await repo.sync();
    if (!meta || session.state() !== 'unlocked') return false;
    try {
      token = fromUtf8(open(session.userKey(), meta.sealedToken, tokenAd()));
    } catch {
      lastError = t('syncSessionUnreadable');
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
      { cursor, ...counters.input() },
      {
        onStarted: () => {
          live = true;
        },
        onConnectionStateChange: (state) => {
          live = state.state === 'pending';
          offline = !live && (offline || !!state.error);
        },
        onData: (event) => {
          counters.seen(event);
          schedule(0);
        },
        onError: (e) => {
          live = false;
          subscription = undefined;
          void noteError(e);
        },
        onStopped: () => {
          live = false;
        },
      },
    );
  }

  async function noteError(e: unknown): Promise<void> {
    const err = apiError(e);
    lastError = err.message;
    offline = err.code === 'NETWORK';
    const details = apiErrorDetails(e);
    if (err.code === 'TOO_LARGE' && details?.reason === 'quota') {
      lastError = t('syncQuotaFull', mebibytes(details.usedBytes), mebibytes(details.limitBytes));
    }
    if (err.code === 'UNAUTHENTICATED') {
      // Signed out elsewhere, the session expired, or the master password changed on another
      // device: stop trying with this token, and remember the account to sign in again.
      disconnect();
      await endedByServer().catch(() => undefined);
    }
  }

  /** Tells a master-password change elsewhere (the account's salt moved) from a session that ended. */
  async function endedByServer(): Promise<void> {
    const meta = await repo.sync();
    if (!meta) return;
    const account = await repo.account();
    const pre = await createApi(meta.serverUrl, () => undefined)
      .account.preLogin.query({ username: meta.username })
      .catch(() => undefined);
    const changed = !!pre && !!account && pre.salt !== toBase64Url(account.salt);
    await repo.putSettings({ lastAccount: { serverUrl: meta.serverUrl, username: meta.username, reason: changed ? 'password-changed' : 'ended-elsewhere' } });
    await repo.putSync(undefined);
    lastError = undefined;
  }

  function schedule(delayMs = 300): void {
    clearTimeout(timer);
    timer = setTimeout(() => void syncNow().catch(() => undefined), delayMs);
  }

  async function syncNow(): Promise<void> {
    if (running) {
      again = true;
      askedDuringRun = true;
      return running;
    }
    askedDuringRun = false;
    running = (async () => {
      try {
        do {
          again = false;
          if (!(await connect())) return;
          await engine.pull();
          downloaded?.();
          downloaded = undefined;
          const { pushed, again: more } = await engine.push();
          if (more) again = true;
          await uploadSnapshot(pushed);
          lastError = undefined;
          offline = false;
        } while (again);
      } catch (e) {
        await noteError(e);
        // A change announced while this run failed (e.g. a share ending under its pull) is not
        // dropped: it gets a run of its own, a moment later.
        if (askedDuringRun) schedule(RETRY_ASKED_MS);
      } finally {
        running = undefined;
      }
    })();
    return running;
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

  /** Resolves the first download's `done` once a pull has reached the end. */
  let downloaded: (() => void) | undefined;

  /** First sign-in: lists the vault from the server's snapshot while the records download. */
  async function listFromServerSnapshot(): Promise<boolean> {
    if (!(await connect()) || !client) return false;
    const snapshot = await client.vault.snapshot.query().catch(() => null);
    if (!snapshot) return false;
    const sealed = fromBase64Url(snapshot.data);
    const done = new Promise<void>((resolve) => (downloaded = resolve));
    if (!vault.adoptSnapshot(sealed, { done, fetch: (id) => engine.fetchRecord(id) })) {
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
      const meta = await repo.sync();
      if (meta) await repo.putSettings({ lastAccount: { serverUrl: meta.serverUrl, username: meta.username, reason: 'signed-out' } });
      await repo.putSync(undefined);
      lastError = undefined;
    },
    api() {
      if (!client) throw new AppError('UNAUTHENTICATED', t('errorNotSignedIn'));
      return client;
    },
    apiFor(serverUrl, withToken) {
      return createApi(serverUrl, () => withToken);
    },
    syncNow,
    onLinksChanged(listener) {
      counters.on('linkSeq', listener);
    },
    onPeopleChanged(listener) {
      counters.on('peopleSeq', listener);
    },
    async problems() {
      return (await repo.refusedRecords()).map((r) => ({ id: r.id, ...r.problem }));
    },
    async status() {
      const meta = await repo.sync();
      const pending = meta ? await repo.dirtyCount() : 0;
      const last = meta ? undefined : (await repo.settings()).lastAccount;
      // Records that did not apply are retried with every sync; until they do, the status says so.
      const refused = meta ? (await repo.refusedRecords()).length : 0;
      let conflicts = 0;
      if (session.state() === 'unlocked') conflicts = (await vault.summaries()).filter((s) => s.conflictOf !== undefined).length;
      return {
        signedIn: !!meta,
        serverUrl: meta?.serverUrl ?? last?.serverUrl ?? '',
        username: meta?.username ?? last?.username,
        signedOutReason: last?.reason,
        pending,
        conflicts,
        lastSyncAt: meta?.lastSyncAt || undefined,
        lastError: lastError ?? (refused > 0 ? tn('syncEntriesNotApplied', refused) : undefined),
        live,
        offline: !!meta && !live && offline,
      };
    },
  };
}

