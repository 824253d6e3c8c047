// A test device for shares: the real vault, sync engine, share keyring and share service of one
// account, on its own IndexedDB, talking to the in-memory server of share-world.ts. People are
// connected by pinning each other's keys, as the people service would.
import { createMessageRouter } from '../../../lib/messages/router';
import type { Envelope, MessageType, RequestOf, ResponseOf } from '../../../lib/messages/protocol';
import { generateIdentity, sealIdentity } from '../../../lib/crypto/identity';
import { toBase64Url } from '../../../lib/crypto/encoding';
import { generateKey } from '../../../lib/crypto/keys';
import { pin, type PinnedKeys } from '../../../lib/sharing/pins';
import { createVaultRepository } from '../../../lib/vault/repository';
import { createVaultService } from '../../../lib/background/vault-service';
import { createSyncEngine } from '../../../lib/background/sync-engine';
import { createShareKeyring } from '../../../lib/background/share-keyring';
import { createShareSync } from '../../../lib/background/share-sync';
import { createShareService } from '../../../lib/background/share-service';
import { withPrivateKeys, myIdentity } from '../../../lib/background/identity-keys';
import { ACCOUNT_AD_ID } from '../../../lib/background/session-service';
import type { SessionService } from '../../../lib/background/types';
import type { VaultShares } from '../../../lib/background/vault-shares';
import type { Me } from '../../../lib/sharing/share-verify';
import type { ShareWorld, WorldUser } from './share-world';
import { expect } from 'vitest';
import { emptyEntryFields, type EntryFields } from '../../../lib/model/entry';
import { newDb, POPUP } from './harness';

function fakeSession(userKey: Uint8Array) {
  const unlock = new Set<() => void>();
  const session = {
    state: () => 'unlocked' as const,
    userKey: () => userKey,
    create: async () => undefined,
    unlock: async () => undefined,
    lock: async () => undefined,
    touch: async () => undefined,
    restore: async () => true,
    onLock: () => () => false,
    onUnlockStarted: () => () => false,
    onBeforeLock: () => () => false,
    onUnlock: (l: () => void) => (unlock.add(l), () => unlock.delete(l)),
  };
  return { session: session as SessionService, fireUnlock: () => unlock.forEach((l) => l()) };
}

/** What connecting needs of the other device. */
export interface Peer {
  user: WorldUser;
  pins: Map<string, PinnedKeys>;
}

export async function shareDevice(world: ShareWorld, username: string) {
  const identity = generateIdentity();
  const userKey = generateKey();
  const user: WorldUser = { userId: `u-${username}`, username, boxPublicKey: toBase64Url(identity.box.publicKey), signingPublicKey: toBase64Url(identity.signing.publicKey) };
  world.addUser(user);
  const repo = createVaultRepository(newDb());
  await repo.createAccount({
    key: 'account', userId: user.userId, kdf: { algorithm: 'argon2id', memoryKiB: 8, passes: 1, lanes: 1 }, salt: new Uint8Array(16), wrappedUserKey: new Uint8Array(1),
    boxPublicKey: identity.box.publicKey, signingPublicKey: identity.signing.publicKey, sealedPrivateKeys: sealIdentity(userKey, identity, ACCOUNT_AD_ID), createdAt: 1,
  });
  await repo.putSync({ key: 'sync', serverUrl: 'http://127.0.0.1:1', username, userId: user.userId, sealedToken: new Uint8Array(8), cursor: 0, cursors: {}, lastSyncAt: 0 });
  const { session, fireUnlock } = fakeSession(userKey);
  const router = createMessageRouter(() => ({ kind: 'popup' }) as never);
  const pins = new Map<string, PinnedKeys>();
  const pinsFor = async (ids: string[]) => new Map(ids.flatMap((id) => (pins.has(id) ? [[id, pins.get(id)!] as const] : [])));
  const withMe = async <T>(use: (me: Me) => Promise<T> | T): Promise<T> => {
    const me = await myIdentity(repo, session);
    return withPrivateKeys(me, (id) => use({ userId: user.userId, identity: id }));
  };
  let clock = 10_000;
  const now = () => ++clock;
  const keyring = createShareKeyring({ repo, session });
  const shareSync = createShareSync({ keyring, repo, withMe, pinsFor, now });
  let hooks: VaultShares | undefined;
  const vault = createVaultService({
    router, repo, session, keys: keyring, now,
    shares: { mark: (c, id) => hooks?.mark(c, id), placeNew: (f) => hooks?.placeNew(f), requireWrite: (c, id) => hooks?.requireWrite(c, id) },
  });
  const client = world.clientFor(user.userId);
  const engine = createSyncEngine({ repo, session, now, client: () => client, refresh: (ids) => vault.refresh(ids), shares: shareSync });
  /** One sync as the sync service runs it: pull, push, and again while push asks for another round. */
  async function sync(): Promise<void> {
    for (let round = 0; round < 6; round++) {
      await engine.pull();
      if (!(await engine.push()).again) return;
    }
  }
  hooks = createShareService({ router, session, repo, keyring, shareSync, vault, client: async () => client, syncNow: sync, withMe, pinsFor, now });
  fireUnlock();

  async function ask<T extends MessageType>(type: T, payload?: RequestOf<T>): Promise<Envelope<ResponseOf<T>>> {
    return (await router.dispatch({ latchkey: 1, type, payload }, POPUP)!) as Envelope<ResponseOf<T>>;
  }
  async function must<T extends MessageType>(type: T, payload?: RequestOf<T>): Promise<ResponseOf<T>> {
    const r = await ask(type, payload);
    if (!r.ok) throw new Error(`${type} failed: ${r.code} ${r.message}`);
    return r.value;
  }
  /** We are sharing connections: each pins the other's keys. */
  function connect(other: Peer): void {
    pins.set(other.user.userId, pin(other.user, 1));
    other.pins.set(user.userId, pin(user, 1));
  }
  return { user, repo, keyring, vault, engine, sync, ask, must, connect, pins };
}

export const fields = (over: Partial<EntryFields> = {}): EntryFields => ({ ...emptyEntryFields(), title: 'Mail', username: 'ann', password: 'pw-1', urls: ['https://mail.example'], ...over });

/** Alice with an entry on the server, and the people she is connected with. */
export async function people(world: ShareWorld, ...names: string[]) {
  const alice = await shareDevice(world, 'alice');
  const others = [];
  for (const name of names) {
    const d = await shareDevice(world, name);
    alice.connect(d);
    others.push(d);
  }
  const mail = await alice.must('vault.save', { fields: fields() });
  await alice.sync();
  return { alice, others, mail };
}

export async function accepted(d: Awaited<ReturnType<typeof shareDevice>>, container: string) {
  await d.sync();
  const offers = await d.must('shares.offers');
  expect(offers.map((o) => o.container)).toEqual([container]);
  await d.must('shares.accept', { container });
  await d.sync();
}
