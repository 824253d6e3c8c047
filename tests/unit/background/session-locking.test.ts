// Locking as open pages see it (issue 16): the background tells every open page at once when the
// vault locks or unlocks, whoever caused it. The idle check runs on a clock the test moves.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { startTestBackground } from './harness';
import { SESSION_CHANGED_EVENT, type SessionChanged } from '../../../lib/messages/protocol';

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
