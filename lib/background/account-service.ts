// The companion-server account: create one for this vault, sign in on a new device, sign out
// (here or everywhere), change the master password. The master password never leaves the device:
// the server gets an auth key derived from it, and the user key wrapped by another.
import { z } from 'zod';
import { equalBytes, fromBase64Url, toBase64Url } from '../crypto/encoding';
import { openIdentity } from '../crypto/identity';
import { DEFAULT_KDF } from '../crypto/kdf';
import { unwrapKey, wrapKey } from '../crypto/keys';
import { randomBytes } from '../crypto/random';
import { AppError } from '../errors';
import { apiError } from '../api/client';
import type { MessageRouter } from '../messages/router';
import type { VaultRepository } from '../vault/repository';
import { ACCOUNT_AD_ID, userKeyAd, type FullSessionService } from './session-service';
import type { SyncService } from './sync-service';

export interface AccountDeps {
  router: MessageRouter;
  repo: VaultRepository;
  session: FullSessionService;
  sync: SyncService;
}

const serverUrlSchema = z
  .string()
  .trim()
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'Enter the server address, e.g. http://127.0.0.1:8787 or https://latchkey.example.com');

const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._@+-]{2,63}$/, 'A username is 3 to 64 letters, digits or . _ @ + -, starting with a letter or digit');
const emailSchema = z.string().trim().toLowerCase().pipe(z.email('Enter a valid email address'));

function check<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new AppError('BAD_INPUT', r.error.issues[0]?.message ?? 'Check what you entered.');
  return r.data;
}

/** Server errors become AppErrors; a wrong password keeps its own code and message. */
async function remote<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw apiError(e);
  }
}

export function createAccountService(deps: AccountDeps): void {
  const { router, repo, session, sync } = deps;

  router.on('account.status', () => sync.status());
  router.on('sync.now', async () => {
    await sync.syncNow();
    return sync.status();
  });

  router.on('account.register', async (input) => {
    const serverUrl = check(serverUrlSchema, input.serverUrl).replace(/\/+$/, '');
    const username = check(usernameSchema, input.username);
    const email = check(emailSchema, input.email);
    if (await repo.sync()) throw new AppError('BAD_INPUT', 'This vault already syncs with a server account. Sign out first.');
    if (session.state() === 'none') await session.create(input.password);
    const { authKey, account } = await session.verifyPassword(input.password);
    const api = sync.apiFor(serverUrl);
    const created = await remote(() =>
      api.account.register.mutate({
        username,
        email,
        authKey: toBase64Url(authKey),
        salt: toBase64Url(account.salt),
        kdf: account.kdf,
        wrappedUserKey: toBase64Url(account.wrappedUserKey),
        identity: {
          boxPublicKey: toBase64Url(account.boxPublicKey),
          signingPublicKey: toBase64Url(account.signingPublicKey),
          sealedPrivateKeys: toBase64Url(account.sealedPrivateKeys),
        },
      }),
    );
    await repo.replaceAccount({ ...account, userId: created.userId });
    await sync.begin({ serverUrl, username, userId: created.userId, cursor: 0, lastSyncAt: 0 }, created.token);
  });

  router.on('account.signIn', async (input) => {
    const serverUrl = check(serverUrlSchema, input.serverUrl).replace(/\/+$/, '');
    const username = check(usernameSchema, input.username);
    const existing = await repo.account();
    if (await repo.sync()) throw new AppError('BAD_INPUT', 'This vault already syncs with a server account. Sign out first.');
    const api = sync.apiFor(serverUrl);
    const pre = await remote(() => api.account.preLogin.query({ username }));
    // deriveKeys refuses parameters below our minimum, whatever the server sent (SECURITY.md 25).
    const keys = await session.deriveKeys(input.password, fromBase64Url(pre.salt), pre.kdf);
    const login = await remote(() => api.account.login.mutate({ username, authKey: toBase64Url(keys.authKey) }));
    if (existing && existing.userId !== login.userId) {
      await sync.apiFor(serverUrl, login.token).account.logout.mutate().catch(() => undefined);
      throw new AppError('VAULT_EXISTS', 'This browser already has a different vault. Sign in from a fresh browser profile, or export and remove this vault first.');
    }
    const wrappedUserKey = fromBase64Url(login.wrappedUserKey);
    let userKey: Uint8Array;
    let identity: ReturnType<typeof openIdentity>;
    try {
      userKey = unwrapKey(keys.wrapKey, wrappedUserKey, userKeyAd());
      identity = openIdentity(userKey, fromBase64Url(login.identity.sealedPrivateKeys), ACCOUNT_AD_ID);
    } catch {
      throw new AppError('DECRYPT_FAILED', 'The server sent account keys that do not open with your master password. Nothing was changed on this device.');
    }
    // The public keys are what fingerprints and every grant check rest on: they must be the ones
    // of the private keys we just opened, never whatever the server says they are.
    const samePublicKeys =
      equalBytes(identity.box.publicKey, fromBase64Url(login.identity.boxPublicKey)) &&
      equalBytes(identity.signing.publicKey, fromBase64Url(login.identity.signingPublicKey));
    identity.box.privateKey.fill(0);
    identity.signing.privateKey.fill(0);
    if (!samePublicKeys) {
      await sync.apiFor(serverUrl, login.token).account.logout.mutate().catch(() => undefined);
      throw new AppError('KEY_MISMATCH', 'The server sent public keys that do not belong to your account. Nothing was changed on this device; tell whoever runs your Latchkey server.');
    }
    const account = {
      key: 'account' as const,
      userId: login.userId,
      kdf: login.kdf,
      salt: fromBase64Url(login.salt),
      wrappedUserKey,
      boxPublicKey: identity.box.publicKey,
      signingPublicKey: identity.signing.publicKey,
      sealedPrivateKeys: fromBase64Url(login.identity.sealedPrivateKeys),
      createdAt: Date.now(),
    };
    if (existing) {
      // The same account signing in again (e.g. after a password change elsewhere).
      await repo.replaceAccount(account);
      if (session.state() !== 'unlocked') await session.unlock(input.password);
    } else {
      await session.install(account, userKey);
    }
    // A new device lists the vault from the server's snapshot at once; the records follow.
    await sync.begin({ serverUrl, username, userId: login.userId, cursor: 0, lastSyncAt: 0 }, login.token, { firstSignIn: !existing });
  });

  router.on('account.signOut', async () => {
    if (!(await repo.sync())) return;
    await sync.api().account.logout.mutate().catch(() => undefined); // signing out works offline too
    await sync.end();
  });

  router.on('account.signOutEverywhere', async () => {
    await remote(() => sync.api().account.logoutEverywhere.mutate());
    await sync.end();
  });

  router.on('account.changePassword', async ({ current, next }) => {
    if (typeof next !== 'string' || [...next].length < 8) throw new AppError('BAD_INPUT', 'Choose a new master password of at least 8 characters.');
    const userKey = session.userKey();
    const { authKey, account } = await session.verifyPassword(current);
    const newSalt = randomBytes(16);
    const fresh = await session.deriveKeys(next, newSalt, DEFAULT_KDF);
    // Only the user key is re-wrapped: entries stay as they are.
    const newWrappedUserKey = wrapKey(fresh.wrapKey, userKey, userKeyAd());
    if (await repo.sync()) {
      await remote(() =>
        sync.api().account.changePassword.mutate({
          authKey: toBase64Url(authKey),
          newAuthKey: toBase64Url(fresh.authKey),
          newSalt: toBase64Url(newSalt),
          newKdf: DEFAULT_KDF,
          newWrappedUserKey: toBase64Url(newWrappedUserKey),
        }),
      );
    }
    await repo.replaceAccount({ ...account, salt: newSalt, kdf: DEFAULT_KDF, wrappedUserKey: newWrappedUserKey });
  });
}
