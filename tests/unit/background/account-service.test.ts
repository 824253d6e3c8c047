// The account logic of the background (issue 11, items 7–11): what a refused registration leaves
// behind, the lock and strength checks before the server hears of anything, a master-password change
// on another device, starting over on this browser, and signing out everywhere while locked. Against
// a real companion server on loopback; "the server heard nothing" is read from a client that records
// every call it makes.
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { createApiClient } from '../../../lib/api/client';
import type { CreateApi } from '../../../lib/background/sync-service';
import type { Envelope } from '../../../lib/messages/protocol';
import type { RuntimeSender } from '../../../lib/messages/router';
import { masterPasswordProblem, rateWithMeter } from '../../../lib/model/master-password';
import { newDb, startTestBackground } from './harness';
import { bothDevices, deviceA, fields, PASSWORD, syncServer, until } from './sync-harness';

const srv = syncServer();
const OPTIONS: RuntimeSender = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html') };
const NEW_PASSWORD = 'a brand new password';
const OTHER_VAULT_PASSWORD = 'Another-Vault-Lantern-9';

const code = (r: Envelope<unknown>) => (r.ok ? 'ok' : r.code);
const message = (r: Envelope<unknown>) => (r.ok ? '' : r.message);
const users = () => srv.database.db.selectFrom('users').select('username').execute();

/** The real client, recording each procedure it calls ("account.register") before calling it. */
function recordingApi(calls: string[]): CreateApi {
  return (url, getToken) => {
    const wrap = (target: unknown, path: string[]): unknown =>
      new Proxy(target as object, {
        get(t, prop) {
          const value = (t as Record<string | symbol, unknown>)[prop];
          if (typeof prop !== 'string') return value;
          if (prop === 'query' || prop === 'mutate' || prop === 'subscribe') {
            return (...args: unknown[]) => {
              calls.push(path.join('.'));
              return (value as (...a: unknown[]) => unknown)(...args);
            };
          }
          return wrap(value, [...path, prop]);
        },
      });
    return wrap(createApiClient(url, getToken), []) as ReturnType<CreateApi>;
  };
}

function registration(username: string, password: string, serverUrl = srv.serverUrl) {
  return { serverUrl, username, email: `${username}@example.com`, password };
}

describe('registration leaves nothing behind when it fails (item 7)', () => {
  it('a username that is taken: no vault on this browser, no second account, and signing in still works', async () => {
    const a = await deviceA();
    await a.must('account.register', registration('ann', PASSWORD));
    const c = startTestBackground();
    const taken = await c.ask('account.register', registration('ann', OTHER_VAULT_PASSWORD));
    expect(code(taken)).toBe('CONFLICT');
    expect((await c.must('session.status')).vault).toBe('none');
    expect(await c.db.meta.get('account')).toBeUndefined();
    expect(await users()).toEqual([{ username: 'ann' }]);
    // Nothing blocks this browser from signing in to the account it meant.
    await c.must('account.signIn', { serverUrl: srv.serverUrl, username: 'ann', password: PASSWORD });
    expect((await c.must('account.status')).signedIn).toBe(true);
  });

  it('a server that cannot be reached: no vault, and a message that says no account exists', async () => {
    const c = startTestBackground();
    const r = await c.ask('account.register', registration('ann', OTHER_VAULT_PASSWORD, 'http://127.0.0.1:9'));
    expect(code(r)).toBe('NETWORK');
    expect(message(r)).toMatch(/no account was created/);
    expect(message(r)).not.toMatch(/will sync when it is back/);
    expect((await c.must('session.status')).vault).toBe('none');
  });

  it('a registration that succeeds on a browser without a vault stores the vault it prepared', async () => {
    const c = startTestBackground();
    await c.must('account.register', registration('cleo', OTHER_VAULT_PASSWORD));
    expect((await c.must('session.status')).vault).toBe('unlocked');
    await c.must('session.lock');
    await c.must('session.unlock', { password: OTHER_VAULT_PASSWORD });
    expect((await c.must('account.status')).signedIn).toBe(true);
  });
});

describe('checks made before the server hears of anything', () => {
  it('refuses to create an account for a locked vault without calling the server (item 8)', async () => {
    const calls: string[] = [];
    const a = startTestBackground(newDb(), { createApi: recordingApi(calls) });
    await a.must('session.create', { password: PASSWORD });
    await a.must('session.lock');
    const r = await a.ask('account.register', registration('ann', PASSWORD));
    expect(code(r)).toBe('LOCKED');
    expect(calls).toEqual([]);
    expect(await users()).toEqual([]);
    // Positive control: unlocked, the same request reaches the server.
    await a.must('session.unlock', { password: PASSWORD });
    await a.must('account.register', registration('ann', PASSWORD));
    expect(calls).toContain('account.register');
  });

  it('applies one master-password rule to first run, registration and change of password (item 9)', async () => {
    const weak = 'password';
    const rule = masterPasswordProblem(weak, await rateWithMeter(weak));
    expect(rule).toBeTruthy();
    const calls: string[] = [];
    const c = startTestBackground(newDb(), { createApi: recordingApi(calls) });
    const firstRun = await c.ask('session.create', { password: 'password1' });
    expect(firstRun).toMatchObject({ ok: false, code: 'BAD_INPUT', message: masterPasswordProblem('password1', await rateWithMeter('password1')) });
    const register = await c.ask('account.register', registration('ann', weak));
    expect(register).toMatchObject({ ok: false, code: 'BAD_INPUT', message: rule });
    expect(calls).toEqual([]);
    expect((await c.must('session.status')).vault).toBe('none');

    const a = await deviceA();
    const change = await a.ask('account.changePassword', { current: PASSWORD, next: weak });
    expect(change).toMatchObject({ ok: false, code: 'BAD_INPUT', message: rule });
    // Positive control: a strong password passes the same rule.
    expect(masterPasswordProblem(NEW_PASSWORD, await rateWithMeter(NEW_PASSWORD))).toBeUndefined();
    await a.must('account.changePassword', { current: PASSWORD, next: NEW_PASSWORD });
  });
});

describe('a master-password change on another device (item 10)', () => {
  it('tells the other device why it was signed out, keeps its server, and re-wraps its key on sign-in', async () => {
    const { a, b, mail } = await bothDevices();
    await a.must('account.changePassword', { current: PASSWORD, next: NEW_PASSWORD });
    const status = await b.must('sync.now');
    expect(status).toMatchObject({ signedIn: false, signedOutReason: 'password-changed', serverUrl: srv.serverUrl, username: 'ann' });

    // Locked, B signs in with the new password: its local vault now opens with that one only.
    await b.must('session.lock');
    await b.must('account.signIn', { serverUrl: srv.serverUrl, username: 'ann', password: NEW_PASSWORD });
    await b.must('session.lock');
    expect(code(await b.ask('session.unlock', { password: PASSWORD }))).toBe('WRONG_PASSWORD');
    await b.must('session.unlock', { password: NEW_PASSWORD });
    expect((await b.must('vault.get', { id: mail.id })).password).toBe('pw-1');

    // And it carries on syncing.
    const later = await a.must('vault.save', { fields: fields({ title: 'Later', urls: ['https://later.example'] }) });
    await until(() => b.ask('vault.get', { id: later.id }), (r) => r.ok, 5000);
    expect((await b.must('account.status')).signedIn).toBe(true);
  });

  it('a session ended by Sign out everywhere is told apart from a password change', async () => {
    const { a, b } = await bothDevices();
    await a.must('account.signOutEverywhere');
    expect(await b.must('sync.now')).toMatchObject({ signedIn: false, signedOutReason: 'ended-elsewhere', serverUrl: srv.serverUrl });
  });

  it('signing out here keeps the server and username for signing in again', async () => {
    const { b } = await bothDevices();
    await b.must('account.signOut');
    expect(await b.must('account.status')).toMatchObject({ signedIn: false, signedOutReason: 'signed-out', serverUrl: srv.serverUrl, username: 'ann' });
  });
});

describe('start over on this browser (item 7)', () => {
  it('removes a vault that blocks signing in, after its master password, and only from the options page', async () => {
    const a = await deviceA();
    await a.must('account.register', registration('ann', PASSWORD));
    const mail = await a.must('vault.save', { fields: fields({ title: 'Forge', urls: ['https://forge.example'] }) });
    await until(() => a.must('account.status'), (s) => s.pending === 0);

    const c = startTestBackground();
    await c.must('session.create', { password: OTHER_VAULT_PASSWORD });
    await c.must('vault.save', { fields: fields({ title: 'Local only' }) });
    const refused = await c.ask('account.signIn', { serverUrl: srv.serverUrl, username: 'ann', password: PASSWORD });
    expect(code(refused)).toBe('VAULT_EXISTS');
    expect(message(refused)).toMatch(/Start over on this browser/);

    expect(code(await c.ask('account.removeVault', { password: OTHER_VAULT_PASSWORD }))).toBe('FORBIDDEN'); // the popup may not
    expect(code(await c.ask('account.removeVault', { password: 'not the password' }, OPTIONS))).toBe('WRONG_PASSWORD');
    expect(await c.db.entries.count()).toBe(1);
    expect(code(await c.ask('account.removeVault', { password: OTHER_VAULT_PASSWORD }, OPTIONS))).toBe('ok');
    expect((await c.must('session.status')).vault).toBe('none');
    expect(await c.db.entries.count()).toBe(0);

    await c.must('account.signIn', { serverUrl: srv.serverUrl, username: 'ann', password: PASSWORD });
    expect((await c.must('vault.get', { id: mail.id })).title).toBe('Forge');
    // A vault that syncs here signs out first: nothing waiting to sync goes unseen.
    expect(code(await c.ask('account.removeVault', { password: PASSWORD }, OPTIONS))).toBe('BAD_INPUT');
    expect((await c.must('session.status')).vault).toBe('unlocked');
  });
});

describe('sign out everywhere while locked (item 11)', () => {
  it('asks for the master password, then signs every device out', async () => {
    const { a, b } = await bothDevices();
    await b.must('session.lock');
    const bare = await b.ask('account.signOutEverywhere', {});
    expect(code(bare)).toBe('LOCKED');
    expect((await a.must('sync.now')).signedIn).toBe(true);
    expect(code(await b.ask('account.signOutEverywhere', { password: 'not the password' }))).toBe('WRONG_PASSWORD');
    await b.must('account.signOutEverywhere', { password: PASSWORD });
    expect((await b.must('account.status')).signedIn).toBe(false);
    expect(await a.must('sync.now')).toMatchObject({ signedIn: false, signedOutReason: 'ended-elsewhere' });
  });
});
