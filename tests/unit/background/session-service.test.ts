import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { startTestBackground, newDb } from './harness';
import { DEFAULT_KDF } from '../../../lib/crypto/kdf';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('session service', () => {
  it('starts with no vault, creates one and is unlocked', async () => {
    const bg = startTestBackground();
    expect((await bg.must('session.status')).vault).toBe('none');
    await bg.must('session.create', { password: 'correct horse battery' });
    expect((await bg.must('session.status')).vault).toBe('unlocked');
    const account = await bg.repo.account();
    expect(account?.kdf).toEqual(DEFAULT_KDF);
    expect(account?.wrappedUserKey.length).toBeGreaterThan(32);
  });

  it('refuses a second vault and a too-short master password, changing nothing', async () => {
    const bg = startTestBackground();
    const short = await bg.ask('session.create', { password: 'short' });
    expect(short.ok ? 'ok' : short.code).toBe('BAD_INPUT');
    expect(await bg.repo.account()).toBeUndefined();
    await bg.must('session.create', { password: 'correct horse battery' });
    const before = await bg.repo.account();
    const again = await bg.ask('session.create', { password: 'another password' });
    expect(again.ok ? 'ok' : again.code).toBe('VAULT_EXISTS');
    expect(await bg.repo.account()).toEqual(before);
  });

  it('locks, refuses a wrong password with a clear message, unlocks with the right one', async () => {
    const bg = startTestBackground();
    await bg.must('session.create', { password: 'correct horse battery' });
    const saved = await bg.must('vault.save', { fields: { title: 'Mail', username: 'ann', password: 'pw-1', urls: ['https://mail.example'], notes: '', tags: [], folder: '', autologin: { enabled: false, autoSubmit: false, match: 'host' } } });
    await bg.must('session.lock');
    expect((await bg.must('session.status')).vault).toBe('locked');
    const locked = await bg.ask('vault.list');
    expect(locked.ok ? 'ok' : locked.code).toBe('LOCKED');

    const wrong = await bg.ask('session.unlock', { password: 'wrong horse battery' });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) {
      expect(wrong.code).toBe('WRONG_PASSWORD');
      expect(wrong.message).toMatch(/not right/);
    }
    expect((await bg.must('session.status')).vault).toBe('locked');

    await bg.must('session.unlock', { password: 'correct horse battery' });
    const entry = await bg.must('vault.get', { id: saved.id });
    expect(entry.password).toBe('pw-1');
  });

  it('wipes the key from storage.session on lock', async () => {
    const bg = startTestBackground();
    await bg.must('session.create', { password: 'correct horse battery' });
    expect(Object.keys(await fakeBrowser.storage.session.get())).toContain('latchkey.session');
    await bg.must('session.lock');
    expect(await fakeBrowser.storage.session.get()).toEqual({});
  });

  it('survives a service worker restart through storage.session, and locks when the browser restarts', async () => {
    const db = newDb();
    const first = startTestBackground(db);
    await first.must('session.create', { password: 'correct horse battery' });
    const saved = await first.must('vault.save', { fields: { title: 'Bank', username: 'u', password: 'p', urls: [], notes: '', tags: [], folder: '', autologin: { enabled: false, autoSubmit: false, match: 'host' } } });

    // A new background instance over the same storage: the worker restarted.
    fakeBrowser.runtime.onMessage.removeAllListeners?.();
    const second = startTestBackground(db);
    expect((await second.must('session.status')).vault).toBe('unlocked');
    expect((await second.must('vault.get', { id: saved.id })).title).toBe('Bank');

    // The browser restarting clears storage.session.
    await fakeBrowser.storage.session.clear();
    const third = startTestBackground(db);
    expect((await third.must('session.status')).vault).toBe('locked');
  });

  it('locks after the idle time and not before', async () => {
    let t = 1_000_000;
    const bg = startTestBackground();
    await bg.must('session.create', { password: 'correct horse battery' });
    await bg.must('session.setIdleMinutes', { minutes: 5 });
    expect((await bg.must('session.status')).idleMinutes).toBe(5);
    const bad = await bg.ask('session.setIdleMinutes', { minutes: 0 });
    expect(bad.ok ? 'ok' : bad.code).toBe('BAD_INPUT');
    expect((await bg.must('session.status')).idleMinutes).toBe(5);

    // Drive the clock through the session's idle check.
    const realNow = Date.now;
    try {
      Date.now = () => t;
      await bg.session.touch();
      t += 4 * 60_000;
      await fakeBrowser.alarms.onAlarm.trigger({ name: 'latchkey.idle-check', scheduledTime: t });
      await new Promise((r) => setTimeout(r, 10));
      expect(bg.session.state()).toBe('unlocked');
      t += 61_000;
      await fakeBrowser.alarms.onAlarm.trigger({ name: 'latchkey.idle-check', scheduledTime: t });
      await new Promise((r) => setTimeout(r, 10));
      expect(bg.session.state()).toBe('locked');
    } finally {
      Date.now = realNow;
    }
  });

  it('refuses key-derivation parameters below the minimum stored for the account', async () => {
    const bg = startTestBackground();
    await bg.must('session.create', { password: 'correct horse battery' });
    await bg.must('session.lock');
    const account = (await bg.repo.account())!;
    await bg.repo.replaceAccount({ ...account, kdf: { algorithm: 'argon2id', memoryKiB: 1024, passes: 1, lanes: 1 } });
    const r = await bg.ask('session.unlock', { password: 'correct horse battery' });
    expect(r.ok ? 'ok' : r.code).toBe('WEAK_KDF_PARAMS');
    expect(bg.session.state()).toBe('locked');
  });
});
