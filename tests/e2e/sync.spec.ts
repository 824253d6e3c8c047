// Two browser profiles (two devices) syncing through a real companion server process.
import { expect, test } from '@playwright/test';
import { MASTER_PASSWORD, openDevice } from './pages/seed';
import { startServer, type RunningServer } from './server';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer();
});

test.afterAll(async () => {
  await server?.stop();
});

test('an edit on one device reaches the other within 2 seconds, and offline edits sync when the server is back', async () => {
  const a = await openDevice();
  const b = await openDevice();
  try {
    await a.page.createVault();
    const mail = await a.page.addEntry({ title: 'Mail', username: 'ann', password: 'pw-1', urls: ['https://mail.example'] });
    await a.page.call('account.register', { serverUrl: server.url, username: 'ann', email: 'ann@example.com', password: MASTER_PASSWORD });
    await b.page.call('account.signIn', { serverUrl: server.url, username: 'ann', password: MASTER_PASSWORD });
    expect((await b.page.call('vault.get', { id: mail.id })).password).toBe('pw-1');

    await expect.poll(async () => (await b.page.call('account.status')).live, { timeout: 10_000 }).toBe(true);
    const started = Date.now();
    await a.page.call('vault.save', { id: mail.id, baseRevision: mail.revision, fields: { ...(await a.page.call('vault.get', { id: mail.id })), password: 'pw-2' } });
    await expect.poll(async () => (await b.page.call('vault.get', { id: mail.id })).password, { timeout: 2_000, intervals: [50] }).toBe('pw-2');
    console.log(`live update reached the other device in ${Date.now() - started} ms`);

    // Offline: the vault stays usable and edits queue.
    await server.stop();
    const current = await a.page.call('vault.get', { id: mail.id });
    await a.page.call('vault.save', { id: mail.id, baseRevision: current.revision, fields: { ...current, notes: 'written offline' } });
    const offline = await a.page.call('sync.now');
    expect(offline.pending).toBe(1);
    await server.restart();
    await expect.poll(async () => (await a.page.call('sync.now')).pending, { timeout: 10_000 }).toBe(0);
    await expect.poll(async () => (await b.page.call('vault.get', { id: mail.id })).notes, { timeout: 10_000 }).toBe('written offline');
  } finally {
    await a.close();
    await b.close();
  }
});

test('first sign-in on a new device lists all 10,000 entries from the sealed snapshot at once, then downloads them (timed in the benchmarks)', async () => {
  test.setTimeout(240_000);
  const a = await openDevice();
  const b = await openDevice();
  try {
    await a.page.createVault();
    const records = Array.from({ length: 10_000 }, (_, i) => ({ title: `Site ${i}`, username: `user${i}@example.com`, password: `pw-${i}`, url: `https://site${i}.example.com/login`, tags: [`t${i % 20}`], folder: `F${i % 10}` }));
    let t = Date.now();
    expect((await a.page.call('vault.import', { records })).imported).toBe(10_000);
    console.log(`import of 10,000 entries: ${Date.now() - t} ms`);
    t = Date.now();
    await a.page.call('account.register', { serverUrl: server.url, username: 'bulk', email: 'bulk@example.com', password: MASTER_PASSWORD });
    expect((await a.page.call('account.status')).pending).toBe(0);
    console.log(`register and first upload of 10,000 entries: ${Date.now() - t} ms`);

    const started = Date.now();
    await b.page.call('account.signIn', { serverUrl: server.url, username: 'bulk', password: MASTER_PASSWORD });
    const result = await b.page.call('vault.query', { query: 'site 9999', folder: null, tag: null, offset: 0, limit: 40 });
    const elapsed = Date.now() - started;
    console.log(`first sign-in with 10,000 entries: usable after ${elapsed} ms`);
    expect(result.rows[0]?.title).toBe('Site 9999');
    expect((await b.page.call('vault.query', { query: '', folder: null, tag: null, offset: 0, limit: 40 })).total).toBe(10_000);
    // Listed from the server's sealed snapshot; an entry opens before the download has reached it.
    expect((await b.page.call('vault.get', { id: result.rows[0]!.id })).password).toBe('pw-9999');
    console.log(`first sign-in: entry opened after ${Date.now() - started} ms`);
    await expect.poll(async () => (await b.page.call('sync.now')).pending, { timeout: 60_000 }).toBe(0);
    console.log(`first sign-in: every record downloaded after ${Date.now() - started} ms`);
    const last = await b.page.call('vault.query', { query: 'site 4321', folder: null, tag: null, offset: 0, limit: 40 });
    expect((await b.page.call('vault.get', { id: last.rows[0]!.id })).password).toBe('pw-4321');
    expect((await b.page.call('vault.query', { query: '', folder: null, tag: null, offset: 0, limit: 40 })).total).toBe(10_000);
  } finally {
    await a.close();
    await b.close();
  }
});
