// A server that replays an old version of an entry (SECURITY.md item 26), played by writing to the
// real server's SQLite database behind its back: the other device keeps the newer password and its
// popup names the entry in its problems notice.
import { expect, test } from '@playwright/test';
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { PopupPage } from './pages/popup';
import { MASTER_PASSWORD, openDevice } from './pages/seed';
import { startServer, type RunningServer } from './server';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer();
});

test.afterAll(async () => {
  await server?.stop();
});

test('an old version of an entry replayed by the server is refused, and the popup names the entry', async () => {
  const a = await openDevice();
  const b = await openDevice();
  const db = new BetterSqlite3(join(server.dataDir, 'latchkey.sqlite'));
  try {
    await a.page.createVault();
    const mail = await a.page.addEntry({ title: 'Mail', username: 'ann', password: 'pw-1', urls: ['https://mail.example'] });
    await a.page.call('account.register', { serverUrl: server.url, username: 'ann', email: 'ann@example.com', password: MASTER_PASSWORD });
    await b.page.call('account.signIn', { serverUrl: server.url, username: 'ann', password: MASTER_PASSWORD });
    const first = db.prepare('SELECT data FROM vault_records WHERE id = ?').get(mail.id) as { data: string };

    const current = await a.page.call('vault.get', { id: mail.id });
    await a.page.call('vault.save', { id: mail.id, baseRevision: current.revision, fields: { ...current, password: 'pw-2' } });
    await expect.poll(async () => (await a.page.call('sync.now')).pending).toBe(0);
    await b.page.call('sync.now');
    expect((await b.page.call('vault.get', { id: mail.id })).password).toBe('pw-2');

    // The server stores the revision-1 record again, as a newer revision, with a change to pull.
    db.transaction(() => {
      const user = db.prepare('SELECT id, change_seq FROM users').get() as { id: string; change_seq: number };
      // The personal vault is the container whose id is the user's: its head and the user's watermark move.
      const { head_seq } = db.prepare('SELECT head_seq FROM containers WHERE id = ?').get(user.id) as { head_seq: number };
      const seq = head_seq + 1;
      db.prepare('UPDATE containers SET head_seq = ? WHERE id = ?').run(seq, user.id);
      db.prepare('UPDATE users SET change_seq = ? WHERE id = ?').run(user.change_seq + 1, user.id);
      db.prepare('UPDATE vault_records SET data = ?, revision = revision + 1, seq = ? WHERE id = ?').run(first.data, seq, mail.id);
    })();
    await b.page.call('sync.now');
    expect((await b.page.call('vault.get', { id: mail.id })).password).toBe('pw-2');

    const popup = await PopupPage.open(b.context, b.extensionId);
    const problems = popup.page.getByTestId('listing-problems');
    await expect(problems).toBeVisible();
    await problems.locator('summary').click();
    await expect(problems).toContainText(mail.id);
    await expect(problems).toContainText('The server sent an older version of "Mail" (revision 1) than this device has already seen (revision 2)');
    await popup.openEntry('Mail');
    expect((await popup.viewed()).password).toBe('pw-2');
  } finally {
    db.close();
    await a.close();
    await b.close();
  }
});
