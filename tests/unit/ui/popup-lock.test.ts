// The popup follows the background's lock broadcast at once: locked elsewhere, it drops what it
// showed and says so; locked here, it says nothing more; unlocked elsewhere, it opens the vault.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { Popup } from '../../../lib/ui/popup.svelte';
import { SESSION_CHANGED_EVENT } from '../../../lib/messages/protocol';

/** The background's side: answers each request as `answer` says, and can broadcast to pages. */
function fakeBackground(answer: (type: string) => unknown = () => undefined) {
  const asked: string[] = [];
  fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
    const m = message as { latchkey?: number; type?: string };
    if (m.latchkey !== 1 || !m.type) return undefined;
    asked.push(m.type);
    return Promise.resolve({ ok: true, value: answer(m.type) });
  });
  const broadcast = (vault: 'locked' | 'unlocked') => fakeBrowser.runtime.sendMessage({ event: SESSION_CHANGED_EVENT, vault });
  return { asked, broadcast };
}

beforeEach(() => {
  fakeBrowser.reset();
});

describe('popup and the lock broadcast', () => {
  it('switches to Unlock at once when the vault locks elsewhere, dropping the open entry', async () => {
    const bg = fakeBackground();
    const popup = new Popup();
    popup.session.state = 'unlocked';
    popup.entry = { id: 'e1', title: 'Bank' } as Popup['entry'];
    popup.nav.go({ name: 'entry', id: 'e1' });
    await bg.broadcast('locked');
    expect(popup.session.state).toBe('locked');
    expect(popup.entry).toBeNull();
    expect(popup.nav.screen.name).toBe('list');
    expect(popup.notice.text).toBe('Latchkey locked. Unlock to continue.');
    popup.stopListening();
  });

  it('locked by its own Lock button, it shows no "locked elsewhere" notice (control)', async () => {
    const bg = fakeBackground();
    const popup = new Popup();
    popup.session.state = 'unlocked';
    // The background broadcasts while it answers session.lock, as the real one does.
    const locking = popup.lock();
    await bg.broadcast('locked');
    await locking;
    expect(bg.asked).toContain('session.lock');
    expect(popup.session.state).toBe('locked');
    expect(popup.notice.text).toBe('');
    popup.stopListening();
  });

  it('opens the vault when another page unlocks it, but not in the middle of its own unlock', async () => {
    const empty = { total: 0, siteCount: 0, rows: [], folders: [], tags: [], problems: [] };
    const bg = fakeBackground((type) => (type === 'vault.query' ? empty : type === 'autofill.saveOffer' ? null : undefined));
    const popup = new Popup();
    popup.session.state = 'locked';
    popup.session.busy = true;
    await bg.broadcast('unlocked');
    expect(popup.session.state).toBe('locked');
    expect(bg.asked).toEqual([]);
    popup.session.busy = false;
    await bg.broadcast('unlocked');
    expect(popup.session.state).toBe('unlocked');
    // It opened the vault: the list was asked for.
    await vi.waitFor(() => expect(bg.asked).toContain('vault.query'));
    await vi.waitFor(() => expect(popup.vault.loaded).toBe(true));
    popup.stopListening();
  });
});
