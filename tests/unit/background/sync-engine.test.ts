// The sync engine over containers (CONTAINERS-API.md), against a stand-in API that answers what a
// test tells it and keeps every call: the directory decides which containers are pulled, each from
// its own cursor, and pushes go one container per call with its key epoch.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../lib/api/client';
import type { SessionService } from '../../../lib/background/types';
import { createSyncEngine } from '../../../lib/background/sync-engine';
import type { ContainerHead } from '../../../lib/background/sync-directory';
import { generateKey } from '../../../lib/crypto/keys';
import { emptyEntryFields } from '../../../lib/model/entry';
import type { EntryRecord, SyncRecord } from '../../../lib/vault/db';
import { sealEntry } from '../../../lib/vault/entry-crypto';
import { encodeRecord } from '../../../lib/vault/record-codec';
import { createVaultRepository, type VaultRepository } from '../../../lib/vault/repository';
import { newDb } from './harness';

const USER = 'user-1';
const SHARE = 'share-1';
const userKey = generateKey();
const session = { userKey: () => userKey } as unknown as SessionService;

const personal = (head: number): ContainerHead => ({ id: USER, kind: 'personal', head, epoch: 0, role: 'owner', accepted: true, rotationDue: false });
const share = (head: number, epoch: number): ContainerHead => ({ id: SHARE, kind: 'share', head, epoch, role: 'read', accepted: true, rotationDue: false });

function entry(id: string, container = 'personal'): EntryRecord {
  return sealEntry(userKey, { id, revision: 1, container, fields: { ...emptyEntryFields(), title: id }, createdAt: 1, updatedAt: 1 });
}
const onServer = (e: EntryRecord, revision = 1) => ({ id: e.id, revision, data: encodeRecord(e), deleted: false, keyEpoch: 0 });

type Page = { records: ReturnType<typeof onServer>[]; cursor: number; more: boolean };
type PutManyInput = { container: string; records: { id: string; keyEpoch: number }[] };
type PutResult = { id: string; status: 'ok'; revision: number; cursor: number } | { id: string; status: 'stale-epoch'; epoch: number };

/** The stand-in server: `directory` answers vault.changes, `pages` each container's pages in turn. */
function fakeApi(server: { directory: { cursor: number; containers: ContainerHead[] }; pages?: Record<string, (Page | Error)[]>; putMany?: (input: PutManyInput) => PutResult[] }) {
  const calls: [string, Record<string, unknown>][] = [];
  const client = {
    vault: {
      changes: { query: async (input: Record<string, unknown>) => (calls.push(['changes', input]), server.directory) },
      containerChanges: {
        query: async (input: { container: string; cursor: number }) => {
          calls.push(['containerChanges', input]);
          const page = server.pages?.[input.container]?.shift();
          if (!page) throw new Error(`no page left for ${input.container}`);
          if (page instanceof Error) throw page;
          return page;
        },
      },
      records: { query: async (input: Record<string, unknown>) => (calls.push(['records', input]), { records: [] }) },
      putMany: {
        mutate: async (input: PutManyInput) => {
          calls.push(['putMany', input]);
          const results = (server.putMany ?? ((i) => i.records.map((r) => ({ id: r.id, status: 'ok' as const, revision: 1, cursor: 1 }))))(input);
          return { results, cursor: 1 };
        },
      },
    },
  };
  return { client: client as unknown as ApiClient, calls, names: () => calls.map(([name]) => name) };
}

let repo: VaultRepository;
let clock = 1000;

async function signedIn(over: Partial<SyncRecord> = {}): Promise<void> {
  await repo.putSync({ key: 'sync', serverUrl: 'http://127.0.0.1:1', username: 'ann', userId: USER, sealedToken: new Uint8Array(8), cursor: 5, cursors: { [USER]: 5 }, lastSyncAt: 0, ...over });
}

function engineWith(api: ReturnType<typeof fakeApi>) {
  const refreshed: string[] = [];
  const engine = createSyncEngine({ repo, session, now: () => ++clock, client: () => api.client, refresh: async (ids) => void refreshed.push(...ids) });
  return { engine, refreshed };
}

beforeEach(() => {
  repo = createVaultRepository(newDb());
});

describe('sync engine: pull', () => {
  it('pulls the pages of a personal vault that moved, storing its cursor and then the watermark', async () => {
    await signedIn();
    const [one, two] = [entry('e-1'), entry('e-2')];
    const api = fakeApi({
      directory: { cursor: 9, containers: [personal(12)] },
      pages: { [USER]: [{ records: [onServer(one)], cursor: 10, more: true }, { records: [onServer(two)], cursor: 12, more: false }] },
    });
    const { engine, refreshed } = engineWith(api);
    await engine.pull();
    expect(api.calls).toEqual([
      ['changes', { cursor: 5 }],
      ['containerChanges', { container: USER, cursor: 5, limit: 1000 }],
      ['containerChanges', { container: USER, cursor: 10, limit: 1000 }],
    ]);
    expect(await repo.sync()).toMatchObject({ cursor: 9, cursors: { [USER]: 12 } });
    expect([...(await repo.entriesById(['e-1', 'e-2'])).keys()]).toEqual(['e-1', 'e-2']);
    expect(refreshed.sort()).toEqual(['e-1', 'e-2']);
  });

  it('keeps the cursor of each page applied when a pull is cut off, and not the watermark', async () => {
    await signedIn();
    const api = fakeApi({
      directory: { cursor: 9, containers: [personal(12)] },
      pages: { [USER]: [{ records: [onServer(entry('e-1'))], cursor: 10, more: true }, new Error('connection lost')] },
    });
    await expect(engineWith(api).engine.pull()).rejects.toThrow('connection lost');
    expect(await repo.sync()).toMatchObject({ cursor: 5, cursors: { [USER]: 10 } });
  });

  it('asks once when nothing moved', async () => {
    await signedIn();
    const api = fakeApi({ directory: { cursor: 5, containers: [] } });
    await engineWith(api).engine.pull();
    expect(api.names()).toEqual(['changes']);
    expect(await repo.sync()).toMatchObject({ cursor: 5, cursors: { [USER]: 5 }, lastSyncAt: clock });
  });

  it('pulls no container whose head is not past its cursor', async () => {
    await signedIn({ cursor: 5, cursors: { [USER]: 8 } });
    const api = fakeApi({ directory: { cursor: 7, containers: [personal(8)] } });
    await engineWith(api).engine.pull();
    expect(api.names()).toEqual(['changes']);
    expect(await repo.sync()).toMatchObject({ cursor: 7, cursors: { [USER]: 8 } });
  });

  it('leaves a share of the directory alone, its cursor unmoved, while the personal vault is pulled', async () => {
    await signedIn();
    const api = fakeApi({
      directory: { cursor: 11, containers: [share(40, 2), personal(6)] },
      pages: { [USER]: [{ records: [], cursor: 6, more: false }], [SHARE]: [{ records: [], cursor: 40, more: false }] },
    });
    await engineWith(api).engine.pull();
    expect(api.calls.filter(([name]) => name === 'containerChanges')).toEqual([['containerChanges', { container: USER, cursor: 5, limit: 1000 }]]);
    const meta = await repo.sync();
    expect(meta).toMatchObject({ cursor: 11, cursors: { [USER]: 6 } });
    expect(meta!.cursors[SHARE]).toBeUndefined();
  });

  it('asks the server again for a refused record by id, in the personal container', async () => {
    await signedIn();
    await repo.applyRemote([], [], [{ id: 'e-9', problem: { code: 'CORRUPT_RECORD', message: 'damaged' } }]);
    const api = fakeApi({ directory: { cursor: 5, containers: [] } });
    await engineWith(api).engine.pull();
    expect(api.calls[0]).toEqual(['records', { container: USER, ids: ['e-9'] }]);
  });
});

describe('sync engine: push', () => {
  it('sends one putMany per container, each write with its container’s key epoch', async () => {
    await signedIn();
    await repo.putEntries([entry('e-1'), entry('e-s', SHARE), entry('e-2')]);
    const api = fakeApi({ directory: { cursor: 6, containers: [personal(5), share(3, 2)] } });
    const { engine } = engineWith(api);
    await engine.pull(); // the directory names the share's epoch
    const outcome = await engine.push();
    const puts = api.calls.filter(([name]) => name === 'putMany').map(([, input]) => input as PutManyInput);
    expect(puts.map((p) => ({ container: p.container, records: p.records.map((r) => [r.id, r.keyEpoch]) }))).toEqual([
      { container: USER, records: [['e-1', 0], ['e-2', 0]] },
      { container: SHARE, records: [['e-s', 2]] },
    ]);
    expect(outcome).toEqual({ pushed: 3, again: false });
    expect(await repo.dirtyCount()).toBe(0);
  });

  it('leaves a write refused for a stale epoch dirty, and asks for one more round per new epoch only', async () => {
    await signedIn();
    await repo.putEntries([entry('e-1'), entry('e-s', SHARE)]);
    let epoch = 3;
    const api = fakeApi({
      directory: { cursor: 5, containers: [] },
      putMany: (input) => input.records.map((r) => (input.container === SHARE ? { id: r.id, status: 'stale-epoch' as const, epoch } : { id: r.id, status: 'ok' as const, revision: 1, cursor: 1 })),
    });
    const { engine } = engineWith(api);
    expect(await engine.push()).toEqual({ pushed: 1, again: true });
    expect((await repo.dirtyEntries()).map((e) => e.id)).toEqual(['e-s']);
    // The same refusal again: no further round, so sync does not spin on it.
    expect(await engine.push()).toEqual({ pushed: 0, again: false });
    epoch = 4;
    expect(await engine.push()).toEqual({ pushed: 0, again: true });
    expect(await repo.dirtyCount()).toBe(1);
  });
});
