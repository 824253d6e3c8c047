import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { startTestBackground, CONTENT } from './harness';
import { emptyEntryFields, type EntryFields, type EntryWrite } from '../../../lib/model/entry';

beforeEach(() => {
  fakeBrowser.reset();
});

function fields(over: Partial<EntryFields> = {}): EntryFields {
  return { ...emptyEntryFields(), title: 'Example', username: 'ann@example.com', password: 's3cret-pw', urls: ['https://example.com/login'], ...over };
}

async function unlocked() {
  const bg = startTestBackground();
  await bg.must('session.create', { password: 'correct horse battery' });
  return bg;
}

describe('vault service', () => {
  it('adds, lists without passwords, gets, edits and deletes entries', async () => {
    const bg = await unlocked();
    const a = await bg.must('vault.save', { fields: fields({ title: 'Alpha', tags: ['work'], folder: 'Mail' }) });
    expect(a.revision).toBe(1);
    expect(a.hasPassword).toBe(true);
    expect(JSON.stringify(a)).not.toContain('s3cret-pw');

    const list = await bg.must('vault.list');
    expect(list.entries.map((e) => e.title)).toEqual(['Alpha']);
    expect(JSON.stringify(list)).not.toContain('s3cret-pw');

    const edited = await bg.must('vault.save', { id: a.id, baseRevision: 1, fields: fields({ title: 'Alpha 2', password: 'new-pw' }) });
    expect(edited.revision).toBe(2);
    expect((await bg.must('vault.get', { id: a.id })).password).toBe('new-pw');

    await bg.must('vault.delete', { id: a.id });
    expect((await bg.must('vault.list')).entries).toEqual([]);
    const gone = await bg.ask('vault.get', { id: a.id });
    expect(gone.ok ? 'ok' : gone.code).toBe('NOT_FOUND');
  });

  it('refuses a save that started from an old revision and keeps the newer one', async () => {
    const bg = await unlocked();
    const a = await bg.must('vault.save', { fields: fields() });
    await bg.must('vault.save', { id: a.id, baseRevision: 1, fields: fields({ password: 'second' }) });
    const stale = await bg.ask('vault.save', { id: a.id, baseRevision: 1, fields: fields({ password: 'stale' }) });
    expect(stale.ok ? 'ok' : stale.code).toBe('CONFLICT');
    expect((await bg.must('vault.get', { id: a.id })).password).toBe('second');
  });

  it('refuses an update that does not say the revision it started from, changing nothing', async () => {
    const bg = await unlocked();
    const a = await bg.must('vault.save', { fields: fields() });
    await bg.must('vault.save', { id: a.id, baseRevision: 1, fields: fields({ password: 'second' }) });
    for (const baseRevision of [undefined, null, '2', 1.5, -1]) {
      const unchecked = { id: a.id, baseRevision, fields: fields({ password: 'blind' }) } as unknown as EntryWrite;
      const r = await bg.ask('vault.save', unchecked);
      expect(r.ok ? 'ok' : r.code).toBe('BAD_INPUT');
      if (!r.ok) expect(r.message).toMatch(/"Example" was not saved: the change did not say which version/);
      await expect(bg.vault.writeBatch([unchecked])).rejects.toMatchObject({ code: 'BAD_INPUT' });
    }
    expect((await bg.must('vault.get', { id: a.id })).password).toBe('second');
    expect((await bg.must('vault.list')).entries.map((e) => e.revision)).toEqual([2]);
  });

  it('rejects a field over 64 KiB with an error naming the entry, and stores nothing', async () => {
    const bg = await unlocked();
    const r = await bg.ask('vault.save', { fields: fields({ title: 'Huge notes', notes: 'x'.repeat(64 * 1024 + 1) }) });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('TOO_LARGE');
      expect(r.message).toContain('Huge notes');
    }
    expect(await bg.db.entries.count()).toBe(0);
    const ok = await bg.ask('vault.save', { fields: fields({ notes: 'x'.repeat(64 * 1024) }) });
    expect(ok.ok).toBe(true);
  });

  it('rejects wrong-typed input with BAD_INPUT', async () => {
    const bg = await unlocked();
    const r = await bg.ask('vault.save', { fields: { ...fields(), urls: 'https://not-a-list' } as unknown as EntryFields });
    expect(r.ok ? 'ok' : r.code).toBe('BAD_INPUT');
    expect(await bg.db.entries.count()).toBe(0);
  });

  it('refuses an address that is not a web address, naming it, and stores nothing', async () => {
    const bg = await unlocked();
    const r = await bg.ask('vault.save', { fields: fields({ title: 'Odd', urls: ['https://fine.example', 'not a url'] }) });
    expect(r.ok ? 'ok' : r.code).toBe('BAD_INPUT');
    expect(r.ok ? '' : r.message).toMatch(/"Odd".*“not a url” is not a web address/);
    expect(await bg.db.entries.count()).toBe(0);
    expect((await bg.ask('vault.save', { fields: fields({ urls: ['mail.example.com', 'http://127.0.0.1:8080/x'] }) })).ok).toBe(true);
  });

  it('stores only ciphertext: no title, username, password or URL in IndexedDB rows', async () => {
    const bg = await unlocked();
    await bg.must('vault.save', { fields: fields({ title: 'Unique Title 42', username: 'user-xyz', password: 'pw-abcdef', urls: ['https://bank.example/secret-path'], notes: 'note-qqq', tags: ['tag-zzz'] }) });
    const rows = [...(await bg.db.entries.toArray()), ...(await bg.db.meta.toArray())];
    const dump = JSON.stringify(rows, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
    for (const secret of ['Unique Title 42', 'user-xyz', 'pw-abcdef', 'bank.example', 'note-qqq', 'tag-zzz', 'correct horse battery']) {
      expect(dump).not.toContain(secret);
    }
  });

  it('opens the rest of the vault when one record is tampered with or corrupted, and names the bad ones', async () => {
    const bg = await unlocked();
    const good = await bg.must('vault.save', { fields: fields({ title: 'Good' }) });
    const tampered = await bg.must('vault.save', { fields: fields({ title: 'Tampered' }) });
    const corrupt = await bg.must('vault.save', { fields: fields({ title: 'Corrupt' }) });
    const swapped = await bg.must('vault.save', { fields: fields({ title: 'Swapped' }) });

    const row = (await bg.db.entries.get(tampered.id))!;
    row.overview[row.overview.length - 1]! ^= 1;
    await bg.db.entries.put(row);
    await bg.db.entries.update(corrupt.id, { itemKey: 'not bytes' as unknown as Uint8Array });
    // A server or attacker moving the good entry's ciphertext into another entry's row.
    const goodRow = (await bg.db.entries.get(good.id))!;
    await bg.db.entries.update(swapped.id, { overview: goodRow.overview, details: goodRow.details, itemKey: goodRow.itemKey });

    await bg.must('session.lock');
    await bg.must('session.unlock', { password: 'correct horse battery' });
    // Listed from the overview snapshot sealed at lock; the background pass then opens every record.
    let list = await bg.must('vault.list');
    for (let i = 0; i < 100 && list.problems.length < 3; i++) {
      await new Promise((r) => setTimeout(r, 20));
      list = await bg.must('vault.list');
    }
    expect(list.entries.map((e) => e.title)).toEqual(['Good']);
    const problems = Object.fromEntries(list.problems.map((p) => [p.id, p.code]));
    expect(problems).toEqual({ [tampered.id]: 'DECRYPT_FAILED', [corrupt.id]: 'CORRUPT_RECORD', [swapped.id]: 'DECRYPT_FAILED' });
    for (const p of list.problems) expect(p.message).toContain(p.id);
  });

  it('lists from the sealed overview snapshot after unlock, and still reports a record tampered with later', async () => {
    const bg = await unlocked();
    const a = await bg.must('vault.save', { fields: fields({ title: 'Alpha' }) });
    const b = await bg.must('vault.save', { fields: fields({ title: 'Beta' }) });
    await new Promise((r) => setTimeout(r, 1300));
    const snapshot = await bg.repo.snapshot();
    expect(snapshot).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(snapshot!).toString('latin1')).not.toContain('Alpha');

    // Changed after the snapshot was written: the revision no longer matches, so it is re-read.
    await bg.must('vault.save', { id: b.id, baseRevision: 1, fields: fields({ title: 'Beta 2' }) });
    // Tampered with outside Latchkey without changing the revision: caught by the verification pass.
    const row = (await bg.db.entries.get(a.id))!;
    row.details[row.details.length - 1]! ^= 1;
    row.itemKey[row.itemKey.length - 1]! ^= 1;
    await bg.db.entries.put(row);

    await bg.must('session.lock');
    await bg.must('session.unlock', { password: 'correct horse battery' });
    let list = await bg.must('vault.list');
    for (let i = 0; i < 50 && list.problems.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      list = await bg.must('vault.list');
    }
    expect(list.entries.map((e) => e.title)).toEqual(['Beta 2']);
    expect(list.problems).toEqual([expect.objectContaining({ id: a.id, code: 'DECRYPT_FAILED' })]);
  });

  it('seals a snapshot still waiting when the vault is locked, so the next unlock opens it', async () => {
    const bg = await unlocked();
    await bg.must('vault.save', { fields: fields({ title: 'Alpha' }) });
    expect(await bg.repo.snapshot()).toBeUndefined();
    await bg.must('session.lock');
    // Written as the lock happened (the 1 s timer was cancelled by it), with the key still there.
    let snapshot = await bg.repo.snapshot();
    for (let i = 0; i < 100 && !snapshot; i++) {
      await new Promise((r) => setTimeout(r, 20));
      snapshot = await bg.repo.snapshot();
    }
    expect(snapshot).toBeInstanceOf(Uint8Array);
    await bg.must('session.unlock', { password: 'correct horse battery' });
    expect((await bg.must('vault.list')).entries.map((e) => e.title)).toEqual(['Alpha']);
  });

  it('corrects an entry whose record moved on after the snapshot was sealed (a crash before it was rewritten)', async () => {
    const bg = await unlocked();
    const a = await bg.must('vault.save', { fields: fields({ title: 'Alpha' }) });
    await bg.must('session.lock');
    const older = await bg.repo.snapshot();
    expect(older).toBeInstanceOf(Uint8Array);
    await bg.must('session.unlock', { password: 'correct horse battery' });
    await bg.must('vault.save', { id: a.id, baseRevision: a.revision, fields: fields({ title: 'Alpha 2' }) });
    await bg.must('session.lock');
    await bg.repo.putSnapshot(older); // as if the worker died before the new snapshot was written
    await bg.must('session.unlock', { password: 'correct horse battery' });
    const titles = async () => (await bg.must('vault.query', { query: 'alpha', folder: null, tag: null, offset: 0, limit: 10 })).rows.map((r) => r.title);
    let seen = await titles();
    for (let i = 0; i < 100 && seen[0] !== 'Alpha 2'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      seen = await titles();
    }
    expect(seen).toEqual(['Alpha 2']);
    expect((await bg.must('vault.get', { id: a.id })).title).toBe('Alpha 2');
  });

  it('imports well-formed records and reports each malformed one by position and title', async () => {
    const bg = await unlocked();
    const result = await bg.must('vault.import', {
      records: [
        { title: 'One', username: 'a', password: 'p1', url: 'https://one.example' },
        { title: 'Two', urls: 'https://wrong-type' },
        42,
        { title: 'Three', notes: 'y'.repeat(70 * 1024) },
        { title: 'Four', tags: ['t'] },
      ],
    });
    expect(result.imported).toBe(2);
    expect(result.errors.map((e) => e.index)).toEqual([1, 2, 3]);
    expect(result.errors[0]!.message).toContain('Two');
    expect(result.errors[2]!.message).toContain('Three');
    const titles = (await bg.must('vault.list')).entries.map((e) => e.title).sort();
    expect(titles).toEqual(['Four', 'One']);
  });

  it('answers vault requests only from the popup and options pages', async () => {
    const bg = await unlocked();
    const r = await bg.ask('vault.list', undefined, CONTENT);
    expect(r.ok ? 'ok' : r.code).toBe('FORBIDDEN');
    const foreign = await bg.ask('vault.list', undefined, { id: 'another-extension', url: 'chrome-extension://another-extension/popup.html' });
    expect(foreign.ok ? 'ok' : foreign.code).toBe('FORBIDDEN');
  });

  it('schedules clearing of copied text', async () => {
    const bg = await unlocked();
    await bg.must('clipboard.scheduleClear', { text: 'copied-value' });
    expect(bg.cleared).toEqual(['copied-value']);
  });
});
