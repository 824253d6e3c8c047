// Which entries count as conflict copies: those sync marked (EntrySummary.conflictOf), and copies
// made before the mark existed, exactly as that code made them; never an entry the person tagged
// "conflict" themselves.
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { emptyEntryFields, type EntryFields } from '../../../lib/model/entry';
import { sealEntry } from '../../../lib/vault/entry-crypto';
import { startTestBackground } from './harness';

const PASSWORD = 'correct horse battery';
const fields = (over: Partial<EntryFields>): EntryFields => ({ ...emptyEntryFields(), title: 'Mail', password: 'pw', ...over });

beforeEach(() => {
  fakeBrowser.reset();
});

describe('conflict copies', () => {
  it('does not count an entry the person tagged “conflict” as a conflict', async () => {
    const bg = startTestBackground();
    await bg.must('session.create', { password: PASSWORD });
    await bg.must('vault.save', { fields: fields({ title: 'Settle the conflict', tags: ['conflict'] }) });
    const { entries } = await bg.must('vault.list');
    expect(entries.map((e) => [e.title, e.tags, e.conflictOf])).toEqual([['Settle the conflict', ['conflict'], undefined]]);
    expect((await bg.must('account.status')).conflicts).toBe(0);
  });

  it('still reads a copy made before the mark existed as a conflict, until it is edited, also after a lock', async () => {
    const bg = startTestBackground();
    await bg.must('session.create', { password: PASSWORD });
    await bg.must('vault.save', { fields: fields({ title: 'Bank', tags: ['conflict'] }) });
    // What the old conflict code wrote: tagged "conflict", titled "… (conflicting copy)", revision 1.
    const legacy = sealEntry(bg.session.userKey(), { id: 'legacy-copy', revision: 1, container: 'personal', fields: fields({ title: 'Mail (conflicting copy)', tags: ['conflict'] }), createdAt: 1, updatedAt: 1 });
    await bg.repo.putEntries([legacy]);
    await bg.vault.refresh(['legacy-copy']);
    const marked = async () => (await bg.must('vault.list')).entries.filter((e) => e.conflictOf !== undefined).map((e) => e.title);
    expect(await marked()).toEqual(['Mail (conflicting copy)']);
    expect((await bg.must('account.status')).conflicts).toBe(1);

    await bg.must('session.lock'); // the listing now comes from the sealed snapshot
    await bg.must('session.unlock', { password: PASSWORD });
    expect(await marked()).toEqual(['Mail (conflicting copy)']);

    await bg.must('vault.save', { id: 'legacy-copy', baseRevision: 1, fields: fields({ title: 'Mail (conflicting copy)', tags: ['conflict'], notes: 'kept' }) });
    expect(await marked()).toEqual([]);
    expect((await bg.must('account.status')).conflicts).toBe(0);
  });
});
