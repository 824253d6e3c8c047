import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { createSearchService, type SearchDeps } from '../../../lib/background/search-service';
import type { VaultQueryResult } from '../../../lib/messages/protocol';
import { emptyEntryFields, type EntrySummary } from '../../../lib/model/entry';
import { startTestBackground } from './harness';

beforeEach(() => {
  fakeBrowser.reset();
});

async function seeded() {
  const bg = startTestBackground();
  await bg.must('session.create', { password: 'correct horse battery' });
  const records = Array.from({ length: 300 }, (_, i) => ({
    title: `Site ${String(i).padStart(3, '0')}`,
    username: `user${i}@example.com`,
    password: `pw-${i}`,
    url: `https://site${i}.example.com/login`,
    tags: [i % 2 ? 'odd' : 'even'],
    folder: i % 3 === 0 ? 'Work' : 'Home',
  }));
  records.push({ title: 'Zeta mail', username: 'z', password: 'p', url: 'https://mail.example.org/', tags: ['odd'], folder: 'Home' });
  await bg.must('vault.import', { records });
  return bg;
}

const q = (over: Partial<{ query: string; folder: string | null; tag: string | null; pageUrl: string; offset: number; limit: number }> = {}) => ({ query: '', folder: null, tag: null, offset: 0, limit: 40, ...over });

describe('vault.query', () => {
  it('returns only the asked window of rows, sorted by title, with totals and facets', async () => {
    const bg = await seeded();
    const r = await bg.must('vault.query', q());
    expect(r.total).toBe(301);
    expect(r.rows).toHaveLength(40);
    expect(r.rows[0]!.title).toBe('Site 000');
    expect(JSON.stringify(r)).not.toContain('pw-');
    expect(r.folders).toEqual([{ name: 'Home', count: 201 }, { name: 'Work', count: 100 }]);
    const tail = await bg.must('vault.query', q({ offset: 290, limit: 40 }));
    expect(tail.rows.map((x) => x.title)).toEqual([...Array.from({ length: 10 }, (_, i) => `Site ${290 + i}`), 'Zeta mail']);
  });

  it('puts the current site’s entries first, then filters by words, folder and tag', async () => {
    const bg = await seeded();
    const site = await bg.must('vault.query', q({ pageUrl: 'https://mail.example.org/inbox' }));
    expect(site.siteCount).toBe(1);
    expect(site.rows[0]).toMatchObject({ title: 'Zeta mail', site: true });
    expect(site.rows[1]!.site).toBe(false);

    const words = await bg.must('vault.query', q({ query: 'USER12 example' }));
    expect(words.rows.map((x) => x.username).sort()).toEqual([12, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129].map((n) => `user${n}@example.com`).sort());
    const folder = await bg.must('vault.query', q({ folder: 'Work', tag: 'odd' }));
    expect(folder.total).toBe(50);
    expect(folder.rows.every((x) => x.folder === 'Work' && x.tags.includes('odd'))).toBe(true);
  });

  it('sees saves and deletions at once', async () => {
    const bg = await seeded();
    expect((await bg.must('vault.query', q({ query: 'brand new' }))).total).toBe(0);
    const saved = await bg.must('vault.save', { fields: { title: 'Brand new', username: '', password: '', urls: [], notes: '', tags: [], folder: '', autologin: { enabled: false, autoSubmit: false, match: 'host' } } });
    expect((await bg.must('vault.query', q({ query: 'brand new' }))).total).toBe(1);
    await bg.must('vault.delete', { id: saved.id });
    expect((await bg.must('vault.query', q({ query: 'brand new' }))).total).toBe(0);
  });

  it('refuses malformed queries and answers LOCKED when locked', async () => {
    const bg = await seeded();
    const bad = await bg.ask('vault.query', { ...q(), offset: -1 });
    expect(bad.ok ? 'ok' : bad.code).toBe('BAD_INPUT');
    await bg.must('session.lock');
    const locked = await bg.ask('vault.query', q());
    expect(locked.ok ? 'ok' : locked.code).toBe('LOCKED');
  });
});

describe('vault.query while the vault changes', () => {
  // A fake vault whose listing is held until released, to change the vault while a query reads it.
  function heldVault() {
    const summary = (id: string, title: string) => ({ ...emptyEntryFields(), id, title, revision: 1, updatedAt: 0, hasPassword: true }) as EntrySummary;
    let entries = [summary('1', 'Mail'), summary('2', 'Router')];
    const listeners: (() => void)[] = [];
    const held: (() => void)[] = [];
    let hold = false;
    let handler: ((q: unknown) => Promise<VaultQueryResult>) | undefined;
    const vault = {
      onChange: (l: () => void) => listeners.push(l),
      listing: () => {
        const read = { entries, problems: [] };
        return hold ? new Promise((done) => held.push(() => done(read))) : Promise.resolve(read);
      },
    };
    const router = { on: (_type: string, h: typeof handler) => (handler = h) };
    createSearchService({ router, vault, session: { onLock: () => undefined } } as unknown as SearchDeps);
    return {
      query: () => handler!(q()),
      holdNext: () => (hold = true),
      remove(id: string) {
        entries = entries.filter((e) => e.id !== id);
        for (const l of listeners) l();
      },
      release() {
        hold = false;
        for (const h of held.splice(0)) h();
      },
    };
  }

  it('keeps no listing read across a change: the query the change asks for sees it', async () => {
    const vault = heldVault();
    vault.holdNext();
    const before = vault.query();
    vault.remove('2'); // a sync forgets a share's entry while the first query reads the vault
    vault.release();
    expect((await before).rows.map((r) => r.title)).toEqual(['Mail', 'Router']);
    expect((await vault.query()).rows.map((r) => r.title)).toEqual(['Mail']);
  });
});
