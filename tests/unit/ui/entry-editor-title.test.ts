import { describe, expect, it } from 'vitest';
import { EntryEditor } from '../../../lib/ui/entry-editor.svelte';
import type { Ask } from '../../../lib/ui/ask';
import type { Entry } from '../../../lib/model/entry';

const ask = (async () => ({ ok: false, code: 'INTERNAL', message: 'not used' })) as unknown as Ask;

describe('EntryEditor with a title from a search', () => {
  it('starts a new entry with that title, and the form is not yet a change to discard', () => {
    const editor = new EntryEditor(ask, undefined, { title: 'Gmail work' });
    expect(editor.draft.title).toBe('Gmail work');
    expect(editor.dirty).toBe(false);
    editor.draft.username = 'ann';
    expect(editor.dirty).toBe(true);
  });

  it('leaves an existing entry its own title', () => {
    const entry = { id: 'e1', revision: 3, title: 'Bank', username: 'ann', password: 'pw', urls: [], notes: '', tags: [], folder: '',
      autologin: { enabled: false, autoSubmit: false, match: 'host' } } as unknown as Entry;
    const editor = new EntryEditor(ask, entry, { title: 'Gmail work' });
    expect(editor.draft.title).toBe('Bank');
  });

  it('starts empty without one', () => {
    expect(new EntryEditor(ask).draft.title).toBe('');
  });
});
