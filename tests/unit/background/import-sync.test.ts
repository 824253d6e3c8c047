// An imported entry syncs like any other (issue 15): imported on one device through the options
// page's messages, it reaches a second device through a real companion server, secrets included.
import { describe, expect, it } from 'vitest';
import { blankEntry, type ImportedEntry } from '../../../lib/import/model';
import { bothDevices, syncServer, until } from './sync-harness';

syncServer();

const entry = (line: number, over: Partial<ImportedEntry> = {}): ImportedEntry => ({
  ...blankEntry(line), title: `Imported ${line}`, username: `user${line}`, password: `pw-${line}`, urls: [`https://site${line}.example`], ...over,
});

describe('an import and sync', () => {
  it('sends every imported entry to the server, and the other device opens them with folder, tags, notes and code', async () => {
    const { a, b, mail } = await bothDevices();
    const { importId } = await a.must('import.begin');
    await a.must('import.add', {
      importId,
      items: [
        { entry: entry(2, { folder: 'Work/Mail', tags: ['t1'], notes: 'a note', totp: 'JBSWY3DPEHPK3PXP' }), decision: 'add' },
        { entry: entry(3, { urls: ['https://a.example', 'https://b.example'] }), decision: 'add' },
      ],
    });
    expect((await a.must('import.commit', { importId })).added).toBe(2);
    const status = await until(() => a.must('sync.now'), (s) => s.pending === 0, 10_000);
    expect(status.pending).toBe(0);

    const list = await until(() => b.must('vault.list'), (l) => l.entries.length === 3, 10_000);
    expect(list.entries.map((e) => e.title).sort()).toEqual(['Imported 2', 'Imported 3', 'Mail']);
    const two = await b.must('vault.get', { id: list.entries.find((e) => e.title === 'Imported 2')!.id });
    expect(two).toMatchObject({ folder: 'Work/Mail', tags: ['t1'], notes: 'a note', password: 'pw-2' });
    expect(two.totp).toMatch(/^otpauth:\/\/totp\//);
    expect(list.entries.find((e) => e.title === 'Imported 3')?.urls).toEqual(['https://a.example', 'https://b.example']);
    expect(list.entries.some((e) => e.id === mail.id)).toBe(true);
  });
});
