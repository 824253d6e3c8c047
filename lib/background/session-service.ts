// Creating, unlocking and locking the vault. The user key lives only here: in memory, and in
// storage.session (cleared by the browser on restart) so an MV3 service-worker restart does not
// lock the person out. Locking wipes both.
import type { WxtBrowser as Browser } from 'wxt/browser';
import { associatedData } from '../crypto/ad';
import { fromBase64Url, toBase64Url, utf8 } from '../crypto/encoding';
import { generateIdentity, sealIdentity } from '../crypto/identity';
import { assertKdfParams, DEFAULT_KDF, deriveAccountKeys, type KdfParams } from '../crypto/kdf';
import { generateKey, unwrapKey, wrapKey } from '../crypto/keys';
import { randomBytes } from '../crypto/random';
import { AppError } from '../errors';
import type { MessageRouter } from '../messages/router';
import type { AccountRecord } from '../vault/db';
import type { VaultRepository } from '../vault/repository';
import { masterPasswordProblem, MIN_MASTER_LENGTH, type RateStrength } from '../model/master-password';
import type { SessionService } from './types';
import { t } from '../i18n';

export type DeriveKey = (password: Uint8Array, salt: Uint8Array, params: KdfParams) => Promise<Uint8Array>;

export interface SessionDeps {
  browser: Browser;
  router: MessageRouter;
  repo: VaultRepository;
  derive: DeriveKey;
  /** The strength meter the master-password rule uses (lib/model/master-password.ts). */
  rateStrength: RateStrength;
  now?: () => number;
}

const SESSION_KEY = 'latchkey.session';
const IDLE_ALARM = 'latchkey.idle-check';

interface StoredSession {
  userKey: string;
  lastActivity: number;
}

/**
 * The user key and private keys are bound to the account as a whole rather than to a user id: the
 * server assigns its id only when the vault is first synced, long after they were sealed. Moving
 * them between accounts still fails, as each account has its own wrapping and user keys.
 */
export const ACCOUNT_AD_ID = 'account';

export function userKeyAd(): Uint8Array {
  return associatedData({ kind: 'user-key', id: ACCOUNT_AD_ID });
}

export interface AccountKeys {
  authKey: Uint8Array;
  wrapKey: Uint8Array;
}

export interface FullSessionService extends SessionService {
  touch(): Promise<void>;
  checkIdle(): Promise<void>;
  /** Argon2id then HKDF: the auth key for the server and the key that wraps the user key. */
  deriveKeys(password: string, salt: Uint8Array, kdf: unknown): Promise<AccountKeys>;
  /** Derives the current account's keys, checking the password by unwrapping the user key. */
  verifyPassword(password: string): Promise<AccountKeys & { account: AccountRecord }>;
  /** Stores an account (downloaded, or prepared) and unlocks with its user key. */
  install(account: AccountRecord, userKey: Uint8Array): Promise<void>;
  /** Refuses a new master password that breaks the one rule (BAD_INPUT, saying why). */
  assertNewPassword(password: string): Promise<void>;
  /** A new vault's account and user key, in memory only: nothing is stored until `install`. */
  prepare(password: string): Promise<{ account: AccountRecord; userKey: Uint8Array; authKey: Uint8Array }>;
  /** Removes this browser's vault after checking its master password: entries, account, sync. */
  removeVault(password: string): Promise<void>;
}

export function createSessionService(deps: SessionDeps): FullSessionService {
  const { browser, router, repo, derive } = deps;
  const now = deps.now ?? (() => Date.now());
  let userKey: Uint8Array | undefined;
  let hasVault: boolean | undefined;
  let lastActivity = now();
  const lockListeners = new Set<() => void>();
  const beforeLockListeners = new Set<() => void>();
  const unlockStartListeners = new Set<() => void>();
  const unlockListeners = new Set<() => void>();

  async function persist(): Promise<void> {
    if (!userKey) return;
    const stored: StoredSession = { userKey: toBase64Url(userKey), lastActivity };
    await browser.storage.session.set({ [SESSION_KEY]: stored });
  }

  async function becomeUnlocked(key: Uint8Array): Promise<void> {
    userKey = key;
    lastActivity = now();
    await persist();
    await browser.alarms.create(IDLE_ALARM, { periodInMinutes: 1 });
    for (const l of unlockListeners) l();
  }

  function passwordBytes(password: string): Uint8Array {
    if (typeof password !== 'string' || password.length === 0) {
      throw new AppError('BAD_INPUT', t('errorPasswordEmpty'));
    }
    return utf8(password.normalize('NFKC'));
  }

  async function deriveKeys(password: string, salt: Uint8Array, kdf: unknown): Promise<AccountKeys> {
    // Refuse weak parameters whatever wrote them (SECURITY.md 25).
    const params = assertKdfParams(kdf);
    const masterKey = await derive(passwordBytes(password), salt, params);
    const { authKey, wrapKey: wrappingKey } = deriveAccountKeys(masterKey);
    masterKey.fill(0);
    return { authKey, wrapKey: wrappingKey };
  }

  function openUserKey(account: AccountRecord, wrappingKey: Uint8Array): Uint8Array {
    try {
      return unwrapKey(wrappingKey, account.wrappedUserKey, userKeyAd());
    } catch {
      throw new AppError('WRONG_PASSWORD', t('errorWrongPassword'));
    }
  }

  const service = {
    deriveKeys,

    async verifyPassword(password: string) {
      const account = await repo.account();
      if (!account) throw new AppError('NO_VAULT', t('errorNoVault'));
      const keys = await deriveKeys(password, account.salt, account.kdf);
      openUserKey(account, keys.wrapKey).fill(0);
      return { ...keys, account };
    },

    async install(account: AccountRecord, key: Uint8Array) {
      await repo.createAccount(account);
      hasVault = true;
      await becomeUnlocked(key);
    },

    state() {
      if (userKey) return 'unlocked' as const;
      return hasVault === false ? ('none' as const) : ('locked' as const);
    },

    userKey() {
      if (!userKey) throw new AppError('LOCKED', t('errorLocked'));
      return userKey;
    },

    async assertNewPassword(password: string) {
      const length = typeof password === 'string' ? [...password].length : 0;
      const verdict = length >= MIN_MASTER_LENGTH ? await deps.rateStrength(password) : null;
      const problem = masterPasswordProblem(password, verdict);
      if (problem) throw new AppError('BAD_INPUT', problem);
    },

    async prepare(password: string) {
      await service.assertNewPassword(password);
      const salt = randomBytes(16);
      const kdf = DEFAULT_KDF;
      const { authKey, wrapKey: wrappingKey } = await deriveKeys(password, salt, kdf);
      const key = generateKey();
      const identity = generateIdentity();
      const account: AccountRecord = {
        key: 'account',
        userId: toBase64Url(randomBytes(16)),
        kdf,
        salt,
        wrappedUserKey: wrapKey(wrappingKey, key, userKeyAd()),
        boxPublicKey: identity.box.publicKey,
        signingPublicKey: identity.signing.publicKey,
        sealedPrivateKeys: sealIdentity(key, identity, ACCOUNT_AD_ID),
        createdAt: now(),
      };
      return { account, userKey: key, authKey };
    },

    async create(password: string) {
      if ((await repo.account()) !== undefined) {
        throw new AppError('VAULT_EXISTS', t('errorVaultExists'));
      }
      const { account, userKey: key } = await service.prepare(password);
      await service.install(account, key);
    },

    async removeVault(password: string) {
      await service.verifyPassword(password);
      await service.lock();
      await repo.clearAll();
      hasVault = false;
    },

    async unlock(password: string) {
      const account = await repo.account();
      if (!account) throw new AppError('NO_VAULT', t('errorNoVault'));
      hasVault = true;
      for (const l of unlockStartListeners) l();
      const { wrapKey: wrappingKey } = await deriveKeys(password, account.salt, account.kdf);
      await becomeUnlocked(openUserKey(account, wrappingKey));
    },

    async lock() {
      if (userKey) for (const l of beforeLockListeners) l();
      if (userKey) userKey.fill(0);
      userKey = undefined;
      await browser.storage.session.remove(SESSION_KEY);
      await browser.alarms.clear(IDLE_ALARM);
      for (const l of lockListeners) l();
    },

    async restore() {
      // Listeners may start reading the vault now; a restore that finds no session just wasted a read.
      for (const l of unlockStartListeners) l();
      hasVault = (await repo.account()) !== undefined;
      const stored = (await browser.storage.session.get(SESSION_KEY))[SESSION_KEY] as StoredSession | undefined;
      if (!stored || !hasVault) return false;
      lastActivity = stored.lastActivity;
      userKey = fromBase64Url(stored.userKey);
      await service.checkIdle();
      if (userKey) for (const l of unlockListeners) l();
      return userKey !== undefined;
    },

    async touch() {
      if (!userKey) return;
      lastActivity = now();
      await persist();
    },

    async checkIdle() {
      if (!userKey) return;
      const { idleMinutes } = await repo.settings();
      if (now() - lastActivity >= idleMinutes * 60_000) await service.lock();
    },

    onLock(listener: () => void) {
      lockListeners.add(listener);
      return () => lockListeners.delete(listener);
    },

    onUnlock(listener: () => void) {
      unlockListeners.add(listener);
      return () => unlockListeners.delete(listener);
    },

    onUnlockStarted(listener: () => void) {
      unlockStartListeners.add(listener);
      return () => unlockStartListeners.delete(listener);
    },

    onBeforeLock(listener: () => void) {
      beforeLockListeners.add(listener);
      return () => beforeLockListeners.delete(listener);
    },
  };

  router.on('session.status', async () => {
    if (hasVault === undefined) hasVault = (await repo.account()) !== undefined;
    const { idleMinutes, lockOnSystemLock } = await repo.settings();
    return { vault: service.state(), idleMinutes, lockOnSystemLock: lockOnSystemLock !== false };
  });
  router.on('session.create', ({ password }) => service.create(password));
  router.on('session.unlock', ({ password }) => service.unlock(password));
  router.on('session.lock', () => service.lock());
  router.on('session.touch', () => service.touch());
  router.on('session.setIdleMinutes', async ({ minutes }) => {
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 24 * 60) {
      throw new AppError('BAD_INPUT', t('errorIdleRange', 1, 1440));
    }
    await repo.putSettings({ idleMinutes: minutes });
  });

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === IDLE_ALARM) void service.checkIdle();
  });

  return service;
}
