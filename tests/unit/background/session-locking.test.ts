// Locking as open pages see it (issue 16): the background tells every open page at once when the
// vault locks or unlocks, whoever caused it. The idle check runs on a clock the test moves.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { CONTENT, POPUP, newDb, startTestBackground } from './harness';
import { SESSION_CHANGED_EVENT, type SessionChanged } from '../../../lib/messages/protocol';
import type { RuntimeSender } from '../../../lib/messages/router';

const MASTER = 'correct horse battery';

/** What an open popup or options page hears from the background. */
function listenLikeAPage(): SessionChanged['vault'][] {
  const heard: SessionChanged['vault'][] = [];
  fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
    const m = message as Partial<SessionChanged>;
    if (m?.event === SESSION_CHANGED_EVENT && m.vault) heard.push(m.vault);
  });
  return heard;
}

function clock(start = 1_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

beforeEach(() => {
  fakeBrowser.reset();
});

describe('open pages hear the vault lock', () => {
  it('is told "unlocked" on unlock and "locked" when another page presses Lock', async () => {
    const bg = startTestBackground();
    const heard = listenLikeAPage();
    await bg.must('session.create', { password: MASTER });
    await vi.waitFor(() => expect(heard).toEqual(['unlocked']));
    await bg.must('session.lock');
    await vi.waitFor(() => expect(heard).toEqual(['unlocked', 'locked']));
    await bg.must('session.unlock', { password: MASTER });
    await vi.waitFor(() => expect(heard).toEqual(['unlocked', 'locked', 'unlocked']));
  });

  it('is told "locked" when the idle time runs out, and not before', async () => {
    const c = clock();
    const bg = startTestBackground(undefined, { now: c.now });
    await bg.must('session.create', { password: MASTER });
    await bg.must('session.setIdleMinutes', { minutes: 5 });
    const heard = listenLikeAPage();

    c.t += 4 * 60_000;
    await fakeBrowser.alarms.onAlarm.trigger({ name: 'latchkey.idle-check', scheduledTime: c.t });
    // The background's decision, not a sleep: the check finished and kept the vault open.
    await bg.session.checkIdle();
    expect(bg.session.state()).toBe('unlocked');
    expect(heard).toEqual([]);

    c.t += 61_000;
    await fakeBrowser.alarms.onAlarm.trigger({ name: 'latchkey.idle-check', scheduledTime: c.t });
    await vi.waitFor(() => expect(heard).toEqual(['locked']));
    expect(bg.session.state()).toBe('locked');
    const r = await bg.ask('vault.list');
    expect(r.ok ? 'ok' : r.code).toBe('LOCKED');
  });

  it('the broadcast carries the state only, never key material', async () => {
    const bg = startTestBackground();
    const sent: object[] = [];
    fakeBrowser.runtime.onMessage.addListener((m: unknown) => {
      if ((m as { event?: string }).event === SESSION_CHANGED_EVENT) sent.push(m as object);
    });
    await bg.must('session.create', { password: MASTER });
    await bg.must('session.lock');
    await vi.waitFor(() => expect(sent).toHaveLength(2));
    for (const m of sent) expect(Object.keys(m).sort()).toEqual(['event', 'vault']);
  });
});

describe('lock when the computer locks', () => {
  it('locks when the system reports "locked", on by default, and tells open pages', async () => {
    const bg = startTestBackground();
    await bg.must('session.create', { password: MASTER });
    expect((await bg.must('session.status')).lockOnSystemLock).toBe(true);
    const heard = listenLikeAPage();
    // Control: other idle states are not a lock.
    await bg.systemIdle('idle');
    await bg.systemIdle('active');
    expect(bg.session.state()).toBe('unlocked');
    await bg.systemIdle('locked');
    expect(bg.session.state()).toBe('locked');
    expect(await fakeBrowser.storage.session.get()).toEqual({});
    await vi.waitFor(() => expect(heard).toEqual(['locked']));
  });

  it('stays unlocked when the option is off, and the option is kept with the other settings', async () => {
    const bg = startTestBackground();
    await bg.must('session.create', { password: MASTER });
    await bg.must('session.setIdleMinutes', { minutes: 7 });
    await bg.must('session.setLockOnSystemLock', { enabled: false });
    expect(await bg.repo.settings()).toMatchObject({ idleMinutes: 7, lockOnSystemLock: false });
    expect((await bg.must('session.status')).lockOnSystemLock).toBe(false);
    await bg.systemIdle('locked');
    expect(bg.session.state()).toBe('unlocked');

    // Bad input is refused and changes nothing.
    const bad = await bg.ask('session.setLockOnSystemLock', { enabled: 'yes' as unknown as boolean });
    expect(bad.ok ? 'ok' : bad.code).toBe('BAD_INPUT');
    expect((await bg.must('session.status')).lockOnSystemLock).toBe(false);

    await bg.must('session.setLockOnSystemLock', { enabled: true });
    await bg.systemIdle('locked');
    expect(bg.session.state()).toBe('locked');
  });

  it('a worker woken by the system locking restores the session first, then locks it', async () => {
    const db = newDb();
    const first = startTestBackground(db);
    await first.must('session.create', { password: MASTER });
    fakeBrowser.runtime.onMessage.removeAllListeners?.();
    const second = startTestBackground(db);
    // The event arrives as the worker starts, before its restore has finished.
    await second.systemIdle('locked');
    expect(second.session.state()).toBe('locked');
    expect(await fakeBrowser.storage.session.get()).toEqual({});
  });
});

describe('idle time counts activity outside the popup', () => {
  it('a context-menu click postpones the idle lock; without one the vault locks (control)', async () => {
    const c = clock();
    const bg = startTestBackground(undefined, { now: c.now });
    await bg.must('session.create', { password: MASTER });
    await bg.must('session.setIdleMinutes', { minutes: 5 });

    c.t += 4 * 60_000;
    // No tab: the click is activity, but there is nothing to fill.
    bg.menuClick('latchkey-fill');
    await vi.waitFor(async () => expect(((await fakeBrowser.storage.session.get('latchkey.session'))['latchkey.session'] as { lastActivity: number }).lastActivity).toBe(c.t));
    c.t += 4 * 60_000; // 8 minutes after unlocking, 4 after the click
    await bg.session.checkIdle();
    expect(bg.session.state()).toBe('unlocked');

    c.t += 61_000; // 5 minutes and a second after the click
    await bg.session.checkIdle();
    expect(bg.session.state()).toBe('locked');
  });

  it("a web page's content script does not count as activity; the popup does (control)", async () => {
    const c = clock();
    const bg = startTestBackground(undefined, { now: c.now });
    await bg.must('session.create', { password: MASTER });
    const lastActivity = async () => ((await fakeBrowser.storage.session.get('latchkey.session'))['latchkey.session'] as { lastActivity: number }).lastActivity;
    const unlockedAt = c.t;
    c.t += 60_000;
    // Through the background's real listener, as the browser delivers messages.
    const deliver = (message: object, sender: RuntimeSender) => fakeBrowser.runtime.onMessage.trigger(message, sender as Parameters<typeof fakeBrowser.runtime.onMessage.trigger>[1]);
    await deliver({ latchkey: 1, type: 'autofill.saveOffer', payload: {} }, CONTENT);
    expect(await lastActivity()).toBe(unlockedAt);
    await deliver({ latchkey: 1, type: 'session.status' }, POPUP);
    expect(await lastActivity()).toBe(c.t);
  });
});

describe('lock when the browser has been closed', () => {
  it('locks when the last window closes, not while another is open (control)', async () => {
    const bg = startTestBackground();
    await bg.must('session.create', { password: MASTER });
    bg.openWindow(2);
    await bg.closeWindow(1);
    expect(bg.session.state()).toBe('unlocked');
    await bg.closeWindow(2);
    expect(bg.session.state()).toBe('locked');
    expect(await fakeBrowser.storage.session.get()).toEqual({});
  });

  it('keeps the unlocked key in storage.session only: nothing persistent holds it', async () => {
    const db = newDb();
    const bg = startTestBackground(db);
    await bg.must('session.create', { password: MASTER });
    await bg.must('vault.save', { fields: { title: 'Bank', username: 'u', password: 'p', urls: [], notes: '', tags: [], folder: '', autologin: { enabled: false, autoSubmit: false, match: 'host' } } });
    const key = bg.session.userKey();
    const session = (await fakeBrowser.storage.session.get('latchkey.session'))['latchkey.session'] as { userKey: string };
    expect(session.userKey).toBe(Buffer.from(key).toString('base64url'));

    // storage.local (kept across restarts) and the IndexedDB database hold no copy of it.
    const hex = Buffer.from(key).toString('hex');
    const persistent = [JSON.stringify(await fakeBrowser.storage.local.get())];
    for (const table of db.tables) {
      for (const row of await table.toArray()) persistent.push(JSON.stringify(row, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)));
    }
    expect(persistent.length).toBeGreaterThan(2);
    for (const text of persistent) {
      expect(text).not.toContain(hex);
      expect(text).not.toContain(session.userKey);
    }

    // A browser restart empties storage.session: the next background starts locked.
    fakeBrowser.runtime.onMessage.removeAllListeners?.();
    await fakeBrowser.storage.session.clear();
    const next = startTestBackground(db);
    expect((await next.must('session.status')).vault).toBe('locked');
  });
});
