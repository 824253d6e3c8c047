// The trash across two devices syncing through a real companion server: trashing and restoring
// sync as edits, and a trash on one device meets an edit made offline on the other field by field.
import { describe, expect, it } from 'vitest';
import { bothDevices, fields, syncServer, until } from './sync-harness';

const { startServer, stopServer } = syncServer();

describe('the trash, synced', () => {
  it('moves an entry to the trash on every device, and restore brings it back everywhere', async () => {
    const { a, b, mail } = await bothDevices();
    await a.must('trash.move', { id: mail.id });
    await a.must('sync.now');
    await b.must('sync.now');
    expect((await b.must('trash.list')).map((e) => e.id)).toEqual([mail.id]);
    expect((await b.must('vault.list')).entries).toEqual([]);

    await b.must('trash.restore', { id: mail.id });
    await b.must('sync.now');
    await a.must('sync.now');
    await until(() => a.must('vault.list'), (l) => l.entries.some((e) => e.id === mail.id));
    expect(await a.must('trash.list')).toEqual([]);
  });

  it('merges a trash on one device with an edit made offline on the other', async () => {
    const { a, b, mail } = await bothDevices();
    await stopServer();
    await a.must('trash.move', { id: mail.id });
    const edited = await b.must('vault.save', { id: mail.id, baseRevision: mail.revision, fields: fields({ title: 'Mail (renamed)', password: 'pw-2' }) });
    expect(edited.title).toBe('Mail (renamed)');
    await startServer();
    await b.must('sync.now');
    await a.must('sync.now'); // a's trash meets b's edit: merged, field by field
    await b.must('sync.now');
    for (const device of [a, b]) {
      const [trashed] = await device.must('trash.list');
      expect(trashed).toMatchObject({ id: mail.id, title: 'Mail (renamed)' });
      const entry = await device.must('vault.get', { id: mail.id });
      expect(entry.password).toBe('pw-2');
      expect(entry.passwordHistory.map((h) => h.password)).toEqual(['pw-1']);
      expect((await device.must('vault.list')).entries).toEqual([]);
    }
  });
});
