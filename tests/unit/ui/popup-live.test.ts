// The popup follows the background's vault-changed broadcast: the list asks again, the open entry
// is read again, and an open form says so only when sync changed its entry (not its own save).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { Popup } from '../../../lib/ui/popup.svelte';
import { EntryEditor } from '../../../lib/ui/entry-editor.svelte';
import { VAULT_CHANGED_EVENT, type VaultChange } from '../../../lib/messages/protocol';
import { touches } from '../../../lib/ui/vault-events';
import { send } from '../../../lib/messages/client';
import { emptyEntryFields, type Entry } from '../../../lib/model/entry';

const entry = (revision: number, over: Partial<Entry> = {}): Entry =>
  ({ ...emptyEntryFields(), id: 'e1', title: 'Mail', username: 'ann', revision, updatedAt: 1, createdAt: 1, passwordHistory: [], ...over }) as Entry;

/** The background's side: answers each request as `answer` says (an envelope), and broadcasts changes. */
function fakeBackground(answer: (type: string, payload: unknown) => unknown) {
  const asked: { type: string; payload: unknown }[] = [];
  fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
    const m = message as { latchkey?: number; type?: string; payload?: unknown };
    if (m.latchkey !== 1 || !m.type) return undefined;
    asked.push({ type: m.type, payload: m.payload });
    return Promise.resolve(answer(m.type, m.payload));
  });
  const changed = (change: VaultChange) => fakeBrowser.runtime.sendMessage({ event: VAULT_CHANGED_EVENT, ...change });
  return { asked, changed };
}

const EMPTY = { total: 0, siteCount: 0, rows: [], folders: [], tags: [], problems: [] };

beforeEach(() => {
  fakeBrowser.reset();
});

describe('touches', () => {
  it('is true for a change naming the entry, or naming none', () => {
    expect(touches({ ids: ['a', 'b'], remote: true }, 'b')).toBe(true);
    expect(touches({ ids: null, remote: true }, 'b')).toBe(true);
    expect(touches({ ids: ['a'], remote: true }, 'b')).toBe(false);
  });
});

describe('popup and the vault-changed broadcast', () => {
  it('asks for the list again and reads the open entry again', async () => {
    let current = entry(1);
    const bg = fakeBackground((type) => ({ ok: true, value: type === 'vault.query' ? EMPTY : type === 'vault.get' ? current : undefined }));
    const popup = new Popup();
    popup.session.state = 'unlocked';
    popup.vault.loaded = true;
    popup.entry = current;
    popup.nav.go({ name: 'entry', id: 'e1' });
    current = entry(2, { username: 'ann.lee' });
    await bg.changed({ ids: ['e1'], remote: true });
    await vi.waitFor(() => expect(popup.entry?.username).toBe('ann.lee'));
    expect(bg.asked.map((a) => a.type)).toContain('vault.query');
    popup.stopListening();
    popup.stopListeningToVault();
  });

  it('leaves an entry another change did not touch alone, and does nothing while locked (control)', async () => {
    const bg = fakeBackground((type) => ({ ok: true, value: type === 'vault.query' ? EMPTY : entry(9) }));
    const popup = new Popup();
    popup.session.state = 'unlocked';
    popup.vault.loaded = true;
    popup.entry = entry(1);
    await bg.changed({ ids: ['other'], remote: true });
    await vi.waitFor(() => expect(bg.asked.map((a) => a.type)).toEqual(['vault.query']));
    expect(popup.entry.revision).toBe(1);
    popup.session.state = 'locked';
    await bg.changed({ ids: null, remote: true });
    expect(bg.asked).toHaveLength(1);
    popup.stopListening();
    popup.stopListeningToVault();
  });

  it('an open form says its entry changed elsewhere only for a synced change that moved it on', async () => {
    let current = entry(1);
    const bg = fakeBackground((type) => ({ ok: true, value: type === 'vault.query' ? EMPTY : current }));
    const popup = new Popup();
    popup.session.state = 'unlocked';
    popup.editor = new EntryEditor(popup.ask, entry(1));
    popup.editor.draft.notes = 'typed';
    // A change made here (this popup's own save, another page) says nothing.
    current = entry(2);
    await bg.changed({ ids: ['e1'], remote: false });
    // Synced, but not this entry's new revision yet: nothing either.
    current = entry(1);
    await bg.changed({ ids: ['e1'], remote: true });
    await vi.waitFor(() => expect(bg.asked.filter((a) => a.type === 'vault.get')).toHaveLength(1));
    expect(popup.editor.changedElsewhere).toBeNull();
    current = entry(2);
    await bg.changed({ ids: ['e1'], remote: true });
    await vi.waitFor(() => expect(popup.editor?.changedElsewhere).toBe('changed'));
    expect(popup.editor.draft.notes).toBe('typed');
    popup.stopListening();
    popup.stopListeningToVault();
  });

  it('the form sends the revision and the fields it started from, so a stale save can merge', async () => {
    const bg = fakeBackground((type) => ({ ok: true, value: type === 'vault.save' ? { id: 'e1', title: 'Mail', revision: 3 } : undefined }));
    const editor = new EntryEditor(send, entry(1));
    editor.draft.notes = 'typed';
    await editor.save();
    const save = bg.asked.find((a) => a.type === 'vault.save')?.payload as { baseRevision: number; fields: { notes: string }; baseFields: { notes: string; username: string } };
    expect(save.baseRevision).toBe(1);
    expect(save.fields.notes).toBe('typed');
    expect(save.baseFields).toMatchObject({ notes: '', username: 'ann' });
  });

  it('deleted elsewhere, the form saves what was typed as a new entry', async () => {
    const bg = fakeBackground((type) => (type === 'vault.get' ? { ok: false, code: 'NOT_FOUND', message: 'gone' } : { ok: true, value: { id: 'new', title: 'Mail', revision: 1 } }));
    const editor = new EntryEditor(send, entry(1));
    await editor.checkChangedElsewhere();
    expect(editor.changedElsewhere).toBe('deleted');
    await editor.save();
    const save = bg.asked.find((a) => a.type === 'vault.save')?.payload as { id?: string; baseRevision?: number };
    expect(save.id).toBeUndefined();
    expect(save.baseRevision).toBeUndefined();
  });
});
