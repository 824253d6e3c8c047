// A vault that changes while pages are open: the VAULT_CHANGED_EVENT broadcast (ids, never
// contents), and a save from a form opened before the change (merged with the fields it started from).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { startTestBackground } from './harness';
import { emptyEntryFields, type EntryFields } from '../../../lib/model/entry';
import { VAULT_CHANGED_EVENT } from '../../../lib/messages/protocol';

beforeEach(() => {
  fakeBrowser.reset();
});

function fields(over: Partial<EntryFields> = {}): EntryFields {
  return { ...emptyEntryFields(), title: 'Mail', username: 'ann', password: 'pw-1', urls: ['https://mail.example'], ...over };
}

async function unlocked() {
  const bg = startTestBackground();
  await bg.must('session.create', { password: 'correct horse battery' });
  return bg;
}

describe('a save over a change made after the form opened', () => {
  it('merges field by field when it was given the fields it started from', async () => {
    const bg = await unlocked();
    const mail = await bg.must('vault.save', { fields: fields() });
    // Another device changed the password (here: another save) while the form was open.
    await bg.must('vault.save', { id: mail.id, baseRevision: 1, fields: fields({ password: 'pw-from-a' }) });
    const saved = await bg.must('vault.save', { id: mail.id, baseRevision: 1, fields: fields({ notes: 'typed on b' }), baseFields: fields() });
    expect(saved.revision).toBe(3);
    expect(saved.conflictCopy).toBeUndefined();
    const entry = await bg.must('vault.get', { id: mail.id });
    expect({ password: entry.password, notes: entry.notes, username: entry.username }).toEqual({ password: 'pw-from-a', notes: 'typed on b', username: 'ann' });
    expect((await bg.must('vault.list')).entries).toHaveLength(1);
    // The password moved on once, to the other device's: the history has the first one only.
    expect(entry.passwordHistory.map((h) => h.password)).toEqual(['pw-1']);
  });

  it('keeps both versions when both changed the same field: the newer in the entry, the save’s as a conflict copy', async () => {
    const bg = await unlocked();
    const mail = await bg.must('vault.save', { fields: fields() });
    await bg.must('vault.save', { id: mail.id, baseRevision: 1, fields: fields({ username: 'from-a' }) });
    const saved = await bg.must('vault.save', { id: mail.id, baseRevision: 1, fields: fields({ username: 'from-b', notes: 'b' }), baseFields: fields() });
    expect(saved.conflictCopy).toEqual(expect.any(String));
    expect((await bg.must('vault.get', { id: mail.id })).username).toBe('from-a');
    const copy = await bg.must('vault.get', { id: saved.conflictCopy! });
    expect({ title: copy.title, username: copy.username, notes: copy.notes, password: copy.password }).toEqual({ title: 'Mail (conflicting copy)', username: 'from-b', notes: 'b', password: 'pw-1' });
    const listed = (await bg.must('vault.list')).entries.find((e) => e.id === saved.conflictCopy);
    expect(listed?.conflictOf).toBe(mail.id);
    expect((await bg.must('account.status')).conflicts).toBe(1);
  });

  it('is still refused without the fields it started from, and changes nothing (control)', async () => {
    const bg = await unlocked();
    const mail = await bg.must('vault.save', { fields: fields() });
    await bg.must('vault.save', { id: mail.id, baseRevision: 1, fields: fields({ password: 'pw-from-a' }) });
    const stale = await bg.ask('vault.save', { id: mail.id, baseRevision: 1, fields: fields({ notes: 'typed' }) });
    expect(stale.ok ? 'ok' : stale.code).toBe('CONFLICT');
    expect((await bg.must('vault.get', { id: mail.id })).notes).toBe('');
  });

  it('refuses starting fields that are not an entry’s, changing nothing', async () => {
    const bg = await unlocked();
    const mail = await bg.must('vault.save', { fields: fields() });
    await bg.must('vault.save', { id: mail.id, baseRevision: 1, fields: fields({ password: 'pw-from-a' }) });
    const bad = await bg.ask('vault.save', { id: mail.id, baseRevision: 1, fields: fields(), baseFields: { title: 5 } as unknown as EntryFields });
    expect(bad.ok ? 'ok' : bad.code).toBe('BAD_INPUT');
    expect((await bg.must('vault.get', { id: mail.id })).revision).toBe(2);
  });
});

describe('the vault-changed broadcast', () => {
  it('names the entries a change touched, marks synced changes remote, and carries no contents', async () => {
    const bg = await unlocked();
    const heard: unknown[] = [];
    fakeBrowser.runtime.onMessage.addListener((m: unknown) => {
      if ((m as { event?: string }).event === VAULT_CHANGED_EVENT) heard.push(m);
    });
    const mail = await bg.must('vault.save', { fields: fields({ password: 'very-secret-pw' }) });
    await vi.waitFor(() => expect(heard).toEqual([{ event: VAULT_CHANGED_EVENT, ids: [mail.id], remote: false }]));
    expect(JSON.stringify(heard)).not.toMatch(/very-secret-pw|Mail|ann/);

    // What sync applied (it re-reads the records it wrote) is remote.
    await bg.vault.refresh([mail.id]);
    await vi.waitFor(() => expect(heard).toHaveLength(2));
    expect(heard[1]).toEqual({ event: VAULT_CHANGED_EVENT, ids: [mail.id], remote: true });

    // An import of many entries names none: pages read everything again.
    await bg.vault.writeBatch(Array.from({ length: 201 }, (_, i) => ({ fields: fields({ title: `Site ${i}` }) })));
    await vi.waitFor(() => expect(heard).toHaveLength(3));
    expect(heard[2]).toEqual({ event: VAULT_CHANGED_EVENT, ids: null, remote: false });
  });
});
