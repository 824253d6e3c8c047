// Two devices (two backgrounds with their own IndexedDB) syncing through a real companion server
// over HTTP on loopback, on its embedded SQLite database.
import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../../lib/api/client';
import { startTestBackground } from './harness';
import { bothDevices, deviceA, fields, PASSWORD, syncServer, until } from './sync-harness';

const srv = syncServer();
const { startServer, stopServer } = srv;

describe('sync with the companion server', () => {
  it('registers a vault, signs in on a second device and gets every entry back', async () => {
    const { a, b, mail } = await bothDevices();
    expect((await a.must('account.status')).signedIn).toBe(true);
    expect((await a.must('account.status')).pending).toBe(0);
    expect((await b.must('session.status')).vault).toBe('unlocked');
    const got = await b.must('vault.get', { id: mail.id });
    expect(got.password).toBe('pw-1');
    expect(got.urls).toEqual(['https://mail.example']);
  });

  it('sends the server no password, master password, title or URL', async () => {
    const seen: string[] = [];
    const spyFetch: typeof fetch = async (input, init) => {
      seen.push(String(input) + ' ' + String(init?.body ?? ''));
      return fetch(input, init);
    };
    const a = startTestBackground(undefined, { createApi: (url, getToken) => createApiClient(url, getToken, { fetch: spyFetch }) });
    await a.must('session.create', { password: PASSWORD });
    await a.must('vault.save', { fields: fields({ title: 'Secret Title', password: 'pw-secret', urls: ['https://bank.example/x'] }) });
    await a.must('account.register', { serverUrl: srv.serverUrl, username: 'ann', email: 'ann@example.com', password: PASSWORD });
    const rows = await srv.database.db.selectFrom('vault_records').selectAll().execute();
    const users = await srv.database.db.selectFrom('users').selectAll().execute();
    const everything = JSON.stringify({ rows, users, seen });
    expect(rows.length).toBe(1);
    expect(seen.some((s) => s.includes('putMany'))).toBe(true);
    for (const secret of ['Secret Title', 'pw-secret', 'bank.example', PASSWORD]) expect(everything).not.toContain(secret);
  });

  it('brings an edit on one device to the other live, without a sync being asked for', async () => {
    const { a, b, mail } = await bothDevices();
    await until(() => b.must('account.status'), (s) => s.live);
    await a.must('vault.save', { id: mail.id, baseRevision: mail.revision, fields: fields({ password: 'pw-2' }) });
    await until(() => b.must('vault.get', { id: mail.id }), (e) => e.password === 'pw-2', 10_000);
    await a.must('vault.delete', { id: mail.id });
    await until(() => b.must('vault.list'), (l) => l.entries.length === 0, 2000);
  });

  it('keeps edits made offline and sends them when the server is back', async () => {
    const { a, b, mail } = await bothDevices();
    await stopServer();
    await a.must('vault.save', { id: mail.id, baseRevision: mail.revision, fields: fields({ password: 'offline-edit' }) });
    const added = await a.must('vault.save', { fields: fields({ title: 'Added offline' }) });
    const offline = await a.must('sync.now');
    expect(offline.pending).toBe(2);
    expect(offline.lastError).toMatch(/cannot be reached/);
    expect((await a.must('vault.get', { id: mail.id })).password).toBe('offline-edit');

    await startServer(); // same port, same data
    expect((await a.must('sync.now')).pending).toBe(0);
    await b.must('sync.now');
    expect((await b.must('vault.get', { id: mail.id })).password).toBe('offline-edit');
    expect((await b.must('vault.get', { id: added.id })).title).toBe('Added offline');
  });

  it('merges edits of different fields made on two devices at once', async () => {
    const { a, b, mail } = await bothDevices();
    await stopServer();
    await a.must('vault.save', { id: mail.id, baseRevision: mail.revision, fields: fields({ password: 'from-a' }) });
    await b.must('vault.save', { id: mail.id, baseRevision: mail.revision, fields: fields({ notes: 'from-b' }) });
    await startServer();
    await a.must('sync.now');
    await b.must('sync.now');
    await a.must('sync.now');
    for (const device of [a, b]) {
      const e = await device.must('vault.get', { id: mail.id });
      expect({ password: e.password, notes: e.notes }).toEqual({ password: 'from-a', notes: 'from-b' });
      expect((await device.must('vault.list')).entries).toHaveLength(1);
    }
  });

  it('keeps both versions when the same field was changed differently, and says so', async () => {
    const { a, b, mail } = await bothDevices();
    await stopServer();
    await a.must('vault.save', { id: mail.id, baseRevision: mail.revision, fields: fields({ password: 'from-a' }) });
    await b.must('vault.save', { id: mail.id, baseRevision: mail.revision, fields: fields({ password: 'from-b' }) });
    await startServer();
    await a.must('sync.now');
    const status = await b.must('sync.now');
    expect(status.conflicts).toBe(1);
    await a.must('sync.now');
    for (const device of [a, b]) {
      const list = (await device.must('vault.list')).entries;
      const passwords = await Promise.all(list.map(async (s) => (await device.must('vault.get', { id: s.id })).password));
      expect(passwords.sort()).toEqual(['from-a', 'from-b']);
      const copy = list.find((s) => s.conflictOf !== undefined);
      expect(copy).toMatchObject({ title: 'Mail (conflicting copy)', conflictOf: mail.id, tags: [] });
    }
  });

  it('changes the master password by re-wrapping the user key only, and ends other sessions', async () => {
    const { a, b, mail } = await bothDevices();
    const before = await a.db.entries.get(mail.id);
    await a.must('account.changePassword', { current: PASSWORD, next: 'a brand new password' });
    expect((await a.db.entries.get(mail.id))?.overview).toEqual(before?.overview);
    await a.must('session.lock');
    const old = await a.ask('session.unlock', { password: PASSWORD });
    expect(old.ok ? 'ok' : old.code).toBe('WRONG_PASSWORD');
    await a.must('session.unlock', { password: 'a brand new password' });
    expect((await a.must('vault.get', { id: mail.id })).password).toBe('pw-1');

    // Device B's session was ended by the change.
    const bStatus = await b.must('sync.now');
    expect(bStatus.signedIn).toBe(false);
    expect(bStatus.signedOutReason).toBe('password-changed');
    // A new device signs in with the new password only.
    const c = startTestBackground();
    const wrong = await c.ask('account.signIn', { serverUrl: srv.serverUrl, username: 'ann', password: PASSWORD });
    expect(wrong.ok ? 'ok' : wrong.code).toBe('WRONG_PASSWORD');
    await c.must('account.signIn', { serverUrl: srv.serverUrl, username: 'ann', password: 'a brand new password' });
    expect((await c.must('vault.get', { id: mail.id })).password).toBe('pw-1');
  });

  it('signs out everywhere', async () => {
    const { a, b } = await bothDevices();
    await a.must('account.signOutEverywhere');
    expect((await a.must('account.status')).signedIn).toBe(false);
    expect((await b.must('sync.now')).signedIn).toBe(false);
  });

  it('refuses bad input to register and sign-in, changing nothing', async () => {
    const a = await deviceA();
    for (const bad of [
      { serverUrl: 'not a url', username: 'ann', email: 'ann@example.com', password: PASSWORD },
      { serverUrl: srv.serverUrl, username: 'a', email: 'ann@example.com', password: PASSWORD },
      { serverUrl: srv.serverUrl, username: 'ann', email: 'not-an-email', password: PASSWORD },
    ]) {
      const r = await a.ask('account.register', bad);
      expect(r.ok ? 'ok' : r.code).toBe('BAD_INPUT');
    }
    const wrong = await a.ask('account.register', { serverUrl: srv.serverUrl, username: 'ann', email: 'ann@example.com', password: 'not the password' });
    expect(wrong.ok ? 'ok' : wrong.code).toBe('WRONG_PASSWORD');
    expect(await srv.database.db.selectFrom('users').selectAll().execute()).toEqual([]);
    expect((await a.must('account.status')).signedIn).toBe(false);
  });

  it('lists a large vault on a new device from the server’s snapshot while its records download', async () => {
    const a = await deviceA();
    const records = Array.from({ length: 1200 }, (_, i) => ({ title: `Site ${i}`, username: `user${i}`, password: `pw-${i}`, url: `https://site${i}.example` }));
    expect((await a.must('vault.import', { records })).imported).toBe(1200);
    await a.must('account.register', { serverUrl: srv.serverUrl, username: 'ann', email: 'ann@example.com', password: PASSWORD });
    const uploaded = await srv.database.db.selectFrom('vault_snapshots').select('data').executeTakeFirst();
    expect(uploaded?.data.length).toBeGreaterThan(0);
    for (const title of ['Site 7', 'user7', 'site7.example']) expect(Buffer.from(uploaded!.data, 'base64url').toString('latin1')).not.toContain(title);

    // Device B's download is held back: nothing of vault.changes gets through until released.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const holdingFetch: typeof fetch = async (input, init) => {
      if (String(input).includes('vault.changes')) await held;
      return fetch(input, init);
    };
    const b = startTestBackground(undefined, { createApi: (url, getToken) => createApiClient(url, getToken, { fetch: holdingFetch }) });
    await b.must('account.signIn', { serverUrl: srv.serverUrl, username: 'ann', password: PASSWORD });
    const listed = await b.must('vault.list');
    expect(listed.entries).toHaveLength(1200);
    const site7 = listed.entries.find((e) => e.title === 'Site 7')!;
    // Opened before its record arrived: fetched by id, and kept.
    expect((await b.must('vault.get', { id: site7.id })).password).toBe('pw-7');
    const site8 = listed.entries.find((e) => e.title === 'Site 8')!;
    const site8Entry = await b.must('vault.get', { id: site8.id });
    await b.must('vault.save', { id: site8.id, baseRevision: site8Entry.revision, fields: { ...site8Entry, password: 'changed on b' } });
    const site9 = listed.entries.find((e) => e.title === 'Site 9')!;
    await b.must('vault.delete', { id: site9.id });

    release();
    await until(() => b.must('sync.now'), (st) => st.pending === 0, 10_000);
    const after = await b.must('vault.list');
    expect(after.entries).toHaveLength(1199);
    expect(after.entries.some((e) => e.id === site9.id)).toBe(false);
    expect((await b.must('vault.get', { id: site8.id })).password).toBe('changed on b');
    expect((await b.must('vault.get', { id: listed.entries.find((e) => e.title === 'Site 1000')!.id })).password).toBe('pw-1000');
    // The edits reached device A too.
    await a.must('sync.now');
    expect((await a.must('vault.get', { id: site8.id })).password).toBe('changed on b');
    expect((await a.must('vault.list')).entries).toHaveLength(1199);
  });

  it('signs a small vault in by downloading every record first', async () => {
    const { b, mail } = await bothDevices();
    expect(await srv.database.db.selectFrom('vault_snapshots').selectAll().execute()).toEqual([]);
    await stopServer();
    expect((await b.must('vault.get', { id: mail.id })).password).toBe('pw-1');
  });

  it('refuses weak key-derivation parameters from the server', async () => {
    await bothDevices();
    await srv.database.db.updateTable('users').set({ kdf_memory_kib: 1024, kdf_passes: 1 }).execute();
    const c = startTestBackground();
    const r = await c.ask('account.signIn', { serverUrl: srv.serverUrl, username: 'ann', password: PASSWORD });
    expect(r.ok ? 'ok' : r.code).toBe('WEAK_KDF_PARAMS');
    expect((await c.must('session.status')).vault).toBe('none');
  });
});
