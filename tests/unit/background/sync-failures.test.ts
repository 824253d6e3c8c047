// Sync when applying what the server sent fails part way: writes the server accepted are not sent
// again, and a record that could not be applied is tried again until it applies, its problem shown
// meanwhile. A real companion server over loopback (sync-harness.ts).
import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../../lib/api/client';
import { startTestBackground } from './harness';
import { fields, PASSWORD, syncServer, until } from './sync-harness';

const srv = syncServer();
const LIST = { query: '', folder: null, tag: null, offset: 0, limit: 10 };

/** Device A with hooks that run once the server answered a procedure, before A reads the answer. */
async function devicesWithHooks() {
  const hooks: Partial<Record<'vault.changes' | 'vault.putMany', () => Promise<unknown>>> = {};
  const spyFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    for (const name of ['vault.changes', 'vault.putMany'] as const) {
      const hook = hooks[name];
      if (!hook || !String(input).includes(name)) continue;
      delete hooks[name];
      await hook();
    }
    return res;
  };
  const a = startTestBackground(undefined, { createApi: (url, getToken) => createApiClient(url, getToken, { fetch: spyFetch }) });
  await a.must('session.create', { password: PASSWORD });
  const mail = await a.must('vault.save', { fields: fields() });
  await a.must('account.register', { serverUrl: srv.serverUrl, username: 'ann', email: 'ann@example.com', password: PASSWORD });
  const b = startTestBackground();
  await b.must('account.signIn', { serverUrl: srv.serverUrl, username: 'ann', password: PASSWORD });
  return { a, b, mail, hooks };
}

async function serverRevision(id: string): Promise<number> {
  return (await srv.database.db.selectFrom('vault_records').select('revision').where('id', '=', id).executeTakeFirstOrThrow()).revision;
}

describe('sync when applying the server’s answer fails', () => {
  it('marks the writes the server accepted as synced even when the vault locks before the rest of its answer is applied', async () => {
    const { a, b, mail, hooks } = await devicesWithHooks();
    // A's push carries one write the server accepts (a new entry) and one it refuses (Mail, changed
    // on B after A's pull); the vault locks while the server's answer is on its way.
    hooks['vault.changes'] = async () => {
      await b.must('vault.save', { id: mail.id, baseRevision: mail.revision, fields: fields({ password: 'from-b' }) });
      await b.must('sync.now');
    };
    hooks['vault.putMany'] = () => a.must('session.lock');
    await a.must('vault.save', { id: mail.id, baseRevision: mail.revision, fields: fields({ password: 'from-a' }) });
    const added = await a.must('vault.save', { fields: fields({ title: 'Added on A' }) });
    const failed = await a.must('sync.now');
    expect(hooks).toEqual({}); // both hooks ran
    expect(failed.lastError).toBeTruthy();
    expect(await serverRevision(added.id)).toBe(1);

    await a.must('session.unlock', { password: PASSWORD });
    const status = await a.must('sync.now');
    expect(status.pending).toBe(0);
    // The accepted write was not sent again as a conflict with itself (which makes revision 2).
    expect(await serverRevision(added.id)).toBe(1);
    expect((await a.must('vault.get', { id: mail.id })).password).toMatch(/from-[ab]/);
    await b.must('sync.now');
    expect((await b.must('vault.get', { id: added.id })).revision).toBe(1);
  });

  it('tries a record that did not apply again with every sync, and says so until it applies', async () => {
    const a = startTestBackground();
    await a.must('session.create', { password: PASSWORD });
    const mail = await a.must('vault.save', { fields: fields() });
    await a.must('account.register', { serverUrl: srv.serverUrl, username: 'ann', email: 'ann@example.com', password: PASSWORD });
    await a.must('vault.save', { id: mail.id, baseRevision: mail.revision, fields: fields({ password: 'pw-2' }) });
    await a.must('sync.now');

    // Mail's new version reaches B damaged for as long as `damaging` (the server's copy is fine).
    let damaging = true;
    let damaged = 0;
    const damage = (v: unknown): void => {
      if (!v || typeof v !== 'object') return;
      const o = v as Record<string, unknown>;
      if (o.id === mail.id && typeof o.data === 'string' && o.revision === 2) {
        o.data = 'AAAA';
        damaged++;
      }
      for (const x of Object.values(o)) damage(x);
    };
    const spyFetch: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!damaging || !/vault\.(containerChanges|records)/.test(String(input))) return res;
      const body = await res.json();
      damage(body);
      return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
    };
    const b = startTestBackground(undefined, { createApi: (url, getToken) => createApiClient(url, getToken, { fetch: spyFetch }) });
    await b.must('account.signIn', { serverUrl: srv.serverUrl, username: 'ann', password: PASSWORD });
    for (let i = 0; i < 2; i++) {
      const status = await b.must('sync.now');
      expect(status.lastError).toMatch(/1 entry from the server could not be applied/);
      expect((await b.must('vault.query', LIST)).problems.map((p) => p.id)).toEqual([mail.id]);
      expect((await b.must('vault.list')).entries).toEqual([]);
    }
    const before = damaged;

    // The next sync asks for it again (the cursor is long past it) and applies it; the problem goes.
    damaging = false;
    const status = await b.must('sync.now');
    expect(before).toBeGreaterThan(1); // it was asked for again while it still failed
    expect(status.lastError).toBeUndefined();
    expect((await b.must('vault.query', LIST)).problems).toEqual([]);
    expect((await b.must('vault.get', { id: mail.id })).password).toBe('pw-2');
  });

  it('runs again by itself when a sync was asked for while a failing run was on its way', async () => {
    const { a, b, mail, hooks } = await devicesWithHooks();
    await a.must('sync.now');
    await b.must('sync.now');
    // During A's pull, B changes Mail and A is asked to sync (as a doorbell would); then A's pull
    // fails (the connection drops under it).
    hooks['vault.changes'] = async () => {
      await b.must('vault.save', { id: mail.id, baseRevision: mail.revision, fields: fields({ password: 'from-b' }) });
      await b.must('sync.now');
      void a.must('sync.now');
      throw new TypeError('fetch failed');
    };
    const failed = await a.must('sync.now');
    expect(hooks).toEqual({});
    expect(failed.lastError).toBeTruthy();
    // Nobody asks A again: the request made during the failed run brings B's change all the same.
    const after = await until(() => a.must('vault.get', { id: mail.id }), (e) => e.password === 'from-b', 5000);
    expect(after.password).toBe('from-b');
  });
});
