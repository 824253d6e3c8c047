import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { startTestBackground } from './harness';
import { emptyEntryFields, type EntryFields } from '../../../lib/model/entry';
import { blankEntry, type ImportedEntry } from '../../../lib/import/model';
import type { ImportItem } from '../../../lib/messages/import-protocol';
import type { RuntimeSender } from '../../../lib/messages/router';
import { totpCode } from '../../../lib/totp';

const OPTIONS: RuntimeSender = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html') };

beforeEach(() => {
  fakeBrowser.reset();
});

async function unlocked() {
  const bg = startTestBackground();
  await bg.must('session.create', { password: 'correct horse battery' });
  return bg;
}

const imported = (line: number, over: Partial<ImportedEntry> = {}): ImportedEntry => ({
  ...blankEntry(line), title: `Site ${line}`, username: `user${line}`, password: `pw-${line}`, urls: [`https://site${line}.example`], ...over,
});
const add = (entry: ImportedEntry): ImportItem => ({ entry, decision: 'add' });

describe('import service', () => {
  it('stages chunks and writes nothing until commit; then every entry is there, dirty for sync, TOTP kept', async () => {
    const bg = await unlocked();
    const { importId } = await bg.must('import.begin');
    const first = await bg.must('import.add', { importId, items: [add(imported(2, { totp: 'JBSWY3DPEHPK3PXP', tags: ['t'], folder: 'A/B', notes: 'n' }))] });
    expect(first.staged).toBe(1);
    await bg.must('import.add', { importId, items: [add(imported(3)), add(imported(4, { urls: ['https://a.example', 'https://b.example'] }))] });
    expect(await bg.repo.dirtyCount()).toBe(0);
    expect((await bg.must('vault.list')).entries).toHaveLength(0);

    const outcome = await bg.must('import.commit', { importId });
    expect(outcome).toMatchObject({ added: 3, merged: 0, skipped: 0, problems: [] });
    expect(await bg.repo.dirtyCount()).toBe(3); // sync sends them like typed entries
    const list = (await bg.must('vault.list')).entries;
    const two = list.find((e) => e.title === 'Site 2')!;
    const full = await bg.must('vault.get', { id: two.id });
    expect(full).toMatchObject({ folder: 'A/B', tags: ['t'], notes: 'n', password: 'pw-2' });
    expect(totpCode(full.totp!, 59_000).code).toHaveLength(6);
    expect(list.find((e) => e.title === 'Site 4')?.urls).toEqual(['https://a.example', 'https://b.example']);
  });

  it('cancel leaves nothing written, and the import is gone', async () => {
    const bg = await unlocked();
    const { importId } = await bg.must('import.begin');
    await bg.must('import.add', { importId, items: [add(imported(2)), add(imported(3))] });
    await bg.must('import.cancel', { importId });
    const late = await bg.ask('import.commit', { importId });
    expect(late.ok ? 'ok' : late.code).toBe('NOT_FOUND');
    expect((await bg.must('vault.list')).entries).toHaveLength(0);
    expect(await bg.repo.dirtyCount()).toBe(0);
  });

  it('locking drops a staged import', async () => {
    const bg = await unlocked();
    const { importId } = await bg.must('import.begin');
    await bg.must('import.add', { importId, items: [add(imported(2))] });
    await bg.must('session.lock');
    await bg.must('session.unlock', { password: 'correct horse battery' });
    const r = await bg.ask('import.commit', { importId });
    expect(r.ok ? 'ok' : r.code).toBe('NOT_FOUND');
    expect((await bg.must('vault.list')).entries).toHaveLength(0);
  });

  it('reports a bad entry by its line and imports the rest; an unreadable code goes to the notes', async () => {
    const bg = await unlocked();
    const { importId } = await bg.must('import.begin');
    const r = await bg.must('import.add', {
      importId,
      items: [add(imported(2, { notes: 'x'.repeat(70 * 1024) })), add(imported(7, { totp: 'not a secret!' })), add(imported(9))],
    });
    expect(r.problems.map((p) => p.line)).toEqual([2, 7]);
    expect(r.problems[0]!.message).toContain('Line 2');
    const outcome = await bg.must('import.commit', { importId });
    expect(outcome.added).toBe(2);
    const seven = (await bg.must('vault.list')).entries.find((e) => e.title === 'Site 7')!;
    const full = await bg.must('vault.get', { id: seven.id });
    expect(full.totp).toBeUndefined();
    expect(full.notes).toContain('One-time code: not a secret!');
  });

  it('skip, merge and keep both for entries that match ones already here', async () => {
    const bg = await unlocked();
    const base: EntryFields = { ...emptyEntryFields(), title: 'Mine', username: 'user2', password: 'old', urls: ['https://site2.example'], tags: ['a'], notes: 'kept' };
    const existing = await bg.must('vault.save', { fields: base });
    const { importId } = await bg.must('import.begin');
    await bg.must('import.add', {
      importId,
      items: [
        { entry: imported(2, { tags: ['b'], notes: 'new note', urls: ['https://site2.example', 'https://login.site2.example'] }), decision: 'merge', existingId: existing.id },
        { entry: imported(3), decision: 'skip' },
        { entry: imported(4, { username: 'user2', urls: ['https://site2.example'] }), decision: 'add' },
      ],
    });
    expect(await bg.must('import.commit', { importId })).toMatchObject({ added: 1, merged: 1, skipped: 1 });
    const merged = await bg.must('vault.get', { id: existing.id });
    expect(merged).toMatchObject({ title: 'Mine', password: 'pw-2', tags: ['a', 'b'], notes: 'kept\n\nnew note', urls: ['https://site2.example', 'https://login.site2.example'], revision: 2 });
    expect((await bg.must('vault.list')).entries).toHaveLength(2);
  });

  it('a merge into an entry changed meanwhile writes nothing at all', async () => {
    const bg = await unlocked();
    const existing = await bg.must('vault.save', { fields: { ...emptyEntryFields(), title: 'Mine', username: 'u', urls: ['https://x.example'] } });
    const { importId } = await bg.must('import.begin');
    await bg.must('import.add', { importId, items: [add(imported(2)), { entry: imported(3), decision: 'merge', existingId: 'no-such-entry' }] });
    const r = await bg.ask('import.commit', { importId });
    expect(r.ok ? 'ok' : r.code).toBe('NOT_FOUND');
    expect((await bg.must('vault.list')).entries.map((e) => e.id)).toEqual([existing.id]);
  });

  /** Stages `count` entries in chunks of 1,000, as the options page does. */
  async function stageMany(bg: Awaited<ReturnType<typeof unlocked>>, count: number) {
    const { importId } = await bg.must('import.begin');
    for (let i = 0; i < count; i += 1000) {
      await bg.must('import.add', { importId, items: Array.from({ length: Math.min(1000, count - i) }, (_, k) => add(imported(i + k + 2))) });
    }
    return importId;
  }

  /** Asks import.status until `written` passes 0 and is short of `count`: the commit is under way. */
  async function midway(bg: Awaited<ReturnType<typeof unlocked>>, importId: string, count: number): Promise<number> {
    for (let i = 0; i < 2000; i++) {
      const r = await bg.ask('import.status', { importId });
      if (r.ok && r.value.written > 0 && r.value.written < count) return r.value.written;
      await new Promise((res) => setTimeout(res, 1));
    }
    throw new Error('the commit never reported progress');
  }

  it('a commit reports how far it has got while it writes, then every entry is there', async () => {
    const bg = await unlocked();
    const importId = await stageMany(bg, 2500);
    const commit = bg.must('import.commit', { importId });
    const seen = await midway(bg, importId, 2500);
    expect(seen % 500).toBe(0);
    expect((await commit).added).toBe(2500);
    expect((await bg.must('vault.list')).entries).toHaveLength(2500);
    expect(await bg.repo.dirtyCount()).toBe(2500);
  });

  it('cancel while the commit writes stops it, and nothing of it is kept; what was there before stays', async () => {
    const bg = await unlocked();
    const before = await bg.must('vault.save', { fields: { ...emptyEntryFields(), title: 'Mine', username: 'u', urls: ['https://x.example'] } });
    const importId = await stageMany(bg, 3000);
    const commit = bg.ask('import.commit', { importId });
    await midway(bg, importId, 3000);
    await bg.must('import.cancel', { importId });
    const r = await commit;
    expect(r.ok ? 'ok' : r.code).toBe('NOT_FOUND');
    expect((await bg.must('vault.list')).entries.map((e) => e.id)).toEqual([before.id]);
    expect(await bg.repo.entryIds()).toEqual([before.id]);
    expect(await bg.repo.dirtyCount()).toBe(1);
  });
});

describe('export service', () => {
  it('a CSV export needs the master password again, and only the options page may ask', async () => {
    const bg = await unlocked();
    await bg.must('vault.save', { fields: { ...emptyEntryFields(), title: 'One', password: 'p1', folder: 'Work' } });
    await bg.must('vault.save', { fields: { ...emptyEntryFields(), title: 'Two', password: 'p2', folder: 'Home' } });
    const wrong = await bg.ask('export.csv', { masterPassword: 'nope' }, OPTIONS);
    expect(wrong.ok ? 'ok' : wrong.code).toBe('WRONG_PASSWORD');
    const popup = await bg.ask('export.csv', { masterPassword: 'correct horse battery' });
    expect(popup.ok ? 'ok' : popup.code).toBe('FORBIDDEN');
    const r = await bg.ask('export.csv', { masterPassword: 'correct horse battery', folder: 'Work' }, OPTIONS);
    expect(r.ok && r.value.count).toBe(1);
    expect(r.ok && r.value.text).toContain('Work,,login,One');
    expect(r.ok && r.value.text).not.toContain('Two');
  });

  it('the encrypted file imports back through the same import path without loss', async () => {
    const bg = await unlocked();
    const fields: EntryFields = {
      ...emptyEntryFields(), title: 'Full', username: 'u', password: 'p', urls: ['https://a.example', 'https://b.example'], notes: 'n', tags: ['x', 'y'], folder: 'F/G',
      autologin: { enabled: true, autoSubmit: true, match: 'domain' }, totp: 'JBSWY3DPEHPK3PXP',
    };
    const saved = await bg.must('vault.save', { fields });
    const short = await bg.ask('export.file', { passphrase: 'short' }, OPTIONS);
    expect(short.ok ? 'ok' : short.code).toBe('BAD_INPUT');
    const file = await bg.ask('export.file', { passphrase: 'a fine passphrase' }, OPTIONS);
    if (!file.ok) throw new Error(file.message);
    const { openExportFile } = await import('../../../lib/export/latchkey-file');
    const { fastDerive } = await import('./harness');
    const entries = await openExportFile(new TextEncoder().encode(file.value.text), 'a fine passphrase', fastDerive);
    await bg.must('vault.delete', { id: saved.id });
    const { importId } = await bg.must('import.begin');
    await bg.must('import.add', { importId, items: entries.map(add) });
    await bg.must('import.commit', { importId });
    const [back] = (await bg.must('vault.list')).entries;
    const { id: _i, revision: _r, createdAt: _c, updatedAt: _u, passwordHistory, ...got } = await bg.must('vault.get', { id: back!.id });
    const original = await bg.must('vault.get', { id: back!.id });
    expect(got).toEqual({ ...fields, totp: original.totp });
    expect(passwordHistory).toEqual([]); // an import starts without earlier passwords
    expect(original.totp).toMatch(/^otpauth:\/\/totp\/.*secret=JBSWY3DPEHPK3PXP/);
  });
});
