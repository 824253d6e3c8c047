// People and messages (issue 13) with two extension profiles and a real server: invite by
// username, accept, the same fingerprint on both sides, copies sent with and without notes and
// saved, independence of the copy, a key change made through the server blocking sends until
// accepted, stop sharing and remove.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { expect, test, type Page, type Worker } from '@playwright/test';
import { launchDevice, serviceWorkerOf } from './fixtures';
import { PopupPage } from './pages/popup';
import { ExtensionPage, MASTER_PASSWORD } from './pages/seed';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy';
import { startServer, type RunningServer } from './server';

let server: RunningServer;
/** Both devices talk to the server through this, so the test can scan every request it received. */
let proxy: RecordingProxy;

test.beforeAll(async () => {
  server = await startServer();
  proxy = await startRecordingProxy(server.url);
});

test.afterAll(async () => {
  await proxy?.stop();
  await server?.stop();
});

type Device = Awaited<ReturnType<typeof launchDevice>> & { ext: ExtensionPage; worker: Worker };

async function device(username: string, entries: Parameters<ExtensionPage['addEntry']>[0][]): Promise<Device> {
  const launched = await launchDevice();
  const ext = await ExtensionPage.open(launched.context, launched.extensionId);
  await ext.createVault();
  for (const e of entries) await ext.addEntry(e);
  await ext.call('account.register', { serverUrl: proxy.url, username, email: `${username}@example.com`, password: MASTER_PASSWORD });
  return { ...launched, ext, worker: await serviceWorkerOf(launched.context) };
}

async function openPeople(popup: PopupPage): Promise<Page> {
  await popup.goto();
  await popup.page.getByRole('button', { name: 'People', exact: true }).click();
  await expect(popup.page.getByRole('heading', { name: 'People', exact: true })).toBeVisible();
  return popup.page;
}

const badgeOf = (worker: Worker) => worker.evaluate(() => chrome.action.getBadgeText({}));

test('invite, accept, same fingerprints, send copies with and without notes, save, key change, stop sharing, remove', async () => {
  test.setTimeout(300_000);
  const a = await device('annp', [
    { title: 'Mail', username: 'ann', password: 'pw-mail-1', urls: ['https://mail.example'], notes: 'recovery 7788', tags: ['work'] },
    { title: 'Bank', username: 'ann-b', password: 'pw-bank-1', urls: ['https://bank.example'], notes: 'bank notes' },
  ]);
  const b = await device('bobp', []);
  try {
    const pa = await PopupPage.open(a.context, a.extensionId);
    const pb = await PopupPage.open(b.context, b.extensionId);

    await test.step('A invites B by username; B accepts', async () => {
      const page = await openPeople(pa);
      await page.getByLabel('Username or email address').fill('bobp');
      await page.getByRole('button', { name: 'Find' }).click();
      await expect(page.getByTestId('lookup-result')).toContainText('bobp');
      await page.getByRole('button', { name: 'Invite bobp' }).click();
      await expect(pa.toast).toContainText('Invitation sent to bobp.');
      await expect(page.getByTestId('outgoing-invitation')).toContainText('bobp');

      const pageB = await openPeople(pb);
      await expect(pageB.getByTestId('incoming-invitation')).toContainText('annp');
      await pageB.getByRole('button', { name: 'Accept the invitation from annp' }).click();
      await expect(pageB.getByTestId('person')).toContainText('annp');
      // A's open People screen follows live: the invitation became a connection.
      await expect(page.getByTestId('person')).toContainText('bobp', { timeout: 15_000 });
      await expect(page.getByTestId('outgoing-invitation')).toHaveCount(0);
    });

    await test.step('both show the same fingerprints; A marks B as verified', async () => {
      const fpB = (await pb.page.getByTestId('my-fingerprint').innerText()).trim();
      const fpA = (await pa.page.getByTestId('my-fingerprint').innerText()).trim();
      expect(fpB).toMatch(/^\d{5}( \d{5}){7}$/);
      expect(fpA).not.toBe(fpB);
      await pa.page.getByTestId('person').filter({ hasText: 'bobp' }).click();
      await expect(pa.page.getByTestId('person-fingerprint')).toHaveText(fpB);
      await pb.page.getByTestId('person').filter({ hasText: 'annp' }).click();
      await expect(pb.page.getByTestId('person-fingerprint')).toHaveText(fpA);
      await pa.page.getByRole('button', { name: 'Show QR code' }).click();
      await expect(pa.page.getByRole('img', { name: "QR code of bobp's fingerprint" })).toBeVisible();
      await pa.page.getByRole('button', { name: 'Mark as verified' }).click();
      await expect(pa.page.getByTestId('verified')).toBeVisible();
    });

    await test.step('A sends a copy of Mail with a note and its notes, from the entry', async () => {
      await pa.goto();
      await pa.openEntry('Mail');
      await pa.page.getByRole('button', { name: 'Share', exact: true }).click();
      await pa.page.getByRole('button', { name: 'Send a copy…' }).click();
      await expect(pa.page.getByTestId('send-entries')).toHaveText('A copy of Mail');
      await pa.page.getByLabel('To', { exact: true }).selectOption({ label: 'bobp' });
      await expect(pa.page.getByTestId('note-left')).toHaveText('500 characters left');
      await pa.page.getByLabel('Note (optional)').fill('x'.repeat(501));
      await expect(pa.page.getByTestId('note-left')).toHaveText('1 character too many');
      await pa.page.getByRole('button', { name: 'Review…' }).click();
      await expect(pa.page.getByRole('alert')).toContainText('Keep the note to 500 characters');
      await pa.page.getByLabel('Note (optional)').fill('for the trip');
      await expect(pa.page.getByTestId('note-left')).toHaveText('488 characters left');
      await pa.page.getByLabel('Include notes').check();
      await pa.page.getByRole('button', { name: 'Review…' }).click();
      await expect(pa.page.getByText('Once sent, a message cannot be taken back.', { exact: false })).toBeVisible();
      await expect(pa.page.getByTestId('send-summary')).toContainText('bobp');
      await pa.page.getByRole('button', { name: 'Send now' }).click();
      await expect(pa.toast).toContainText('Sent.');
    });

    await test.step('A sends Mail and Bank without notes, from a bulk selection', async () => {
      await pa.goto();
      await pa.page.getByRole('button', { name: 'Select entries' }).click();
      await pa.row('Mail').click();
      await pa.row('Bank').click();
      await pa.page.getByRole('button', { name: 'Send a copy…' }).click();
      await expect(pa.page.getByTestId('send-entries')).toHaveText('A copy of 2 entries: Mail, Bank');
      await pa.page.getByLabel('To', { exact: true }).selectOption({ label: 'bobp' });
      await pa.page.getByRole('button', { name: 'Review…' }).click();
      await expect(pa.page.getByText('Their notes are not included.')).toBeVisible();
      await pa.page.getByRole('button', { name: 'Send now' }).click();
      await expect(pa.toast).toContainText('Sent.');
    });

    await test.step('B: two unread on the badge; opens and saves both into a folder', async () => {
      await expect.poll(() => badgeOf(b.worker), { timeout: 15_000 }).toBe('2');
      await pb.goto();
      await pb.page.getByRole('button', { name: /^Messages/ }).click();
      await expect(pb.page.getByRole('tab', { name: 'Inbox (2 unread)' })).toBeVisible();
      const rows = pb.page.getByTestId('message');
      await expect(rows).toHaveCount(2);
      await expect(rows.first()).toHaveAttribute('data-unread', 'true');
      // Newest first: the bulk message, then the one with the note.
      await rows.nth(1).click();
      await expect(pb.page.getByTestId('message-note')).toHaveText('for the trip');
      await expect(pb.page.getByTestId('copy-notes')).toHaveText('recovery 7788');
      await pb.page.getByLabel('Save into folder').fill('From Ann');
      await pb.page.getByRole('button', { name: 'Save the copy' }).click();
      await expect(pb.toast).toContainText('1 entry saved to your vault.');
      await pb.page.getByRole('button', { name: 'Back to messages' }).click();
      await rows.first().click();
      await expect(pb.page.getByTestId('message-copy')).toHaveCount(2);
      await expect(pb.page.getByTestId('copy-notes')).toHaveCount(0);
      await pb.page.getByRole('button', { name: 'Save 2 copies' }).click();
      await expect(pb.toast).toContainText('2 entries saved to your vault.');
      await expect.poll(() => badgeOf(b.worker), { timeout: 15_000 }).toBe('');
      const saved = (await b.ext.call('vault.list')).entries;
      expect(saved.map((e) => e.title).sort()).toEqual(['Bank', 'Mail', 'Mail']);
      expect(saved.every((e) => e.tags.length === 0)).toBe(true);
    });

    await test.step('A edits the original; B’s copies are unchanged', async () => {
      const mail = (await a.ext.call('vault.list')).entries.find((e) => e.title === 'Mail')!;
      const full = await a.ext.call('vault.get', { id: mail.id });
      const { id, revision, createdAt, updatedAt, ...fields } = full;
      void createdAt;
      void updatedAt;
      await a.ext.call('vault.save', { id, baseRevision: revision, fields: { ...fields, password: 'pw-mail-2' } });
      for (const e of (await b.ext.call('vault.list')).entries.filter((x) => x.title === 'Mail')) {
        expect((await b.ext.call('vault.get', { id: e.id })).password).toBe('pw-mail-1');
      }
    });

    await test.step('a key change on B made through the server shows the warning on A and blocks sending until accepted', async () => {
      // Other 32-byte keys for B, as a server handing out someone else's keys would.
      const db = new Database(join(server.dataDir, 'latchkey.sqlite'));
      db.prepare('update users set box_public_key = ?, signing_public_key = ? where username = ?').run(randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url'), 'bobp');
      db.close();
      const page = await openPeople(pa);
      await expect(page.getByTestId('person').filter({ hasText: 'bobp' })).toContainText('Key changed');
      await page.getByTestId('person').filter({ hasText: 'bobp' }).click();
      await expect(page.getByTestId('key-changed')).toContainText("bobp's key changed");
      await expect(page.getByRole('button', { name: 'Mark as verified' })).toHaveCount(0);

      const mail = (await a.ext.call('vault.list')).entries.find((e) => e.title === 'Mail')!;
      const refused = await a.ext.send('messages.send', { recipientId: (await a.ext.call('people.overview')).connections[0]!.userId, entryIds: [mail.id], note: '', includeNotes: false });
      expect(refused).toMatchObject({ ok: false, code: 'KEY_MISMATCH' });
      const sentBefore = (await a.ext.call('messages.list', { box: 'out' })).messages.length;
      expect(sentBefore).toBe(2);

      await page.getByRole('button', { name: 'Accept the new key' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Accept the new key' }).click();
      await expect(page.getByTestId('key-changed')).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Mark as verified' })).toBeVisible();
      // Positive control: the same send now goes through (sealed to the accepted key).
      await a.ext.call('messages.send', { recipientId: (await a.ext.call('people.overview')).connections[0]!.userId, entryIds: [mail.id], note: '', includeNotes: false });
      expect((await a.ext.call('messages.list', { box: 'out' })).messages.length).toBe(3);
      // B's real key cannot open what was sealed to the server's key: shown as unverified, no Save.
      await pb.goto();
      await pb.page.getByRole('button', { name: /^Messages/ }).click();
      await pb.page.getByTestId('message').first().click();
      await expect(pb.page.getByTestId('message-unverified')).toContainText('could not be verified');
      await expect(pb.page.getByRole('button', { name: /^Save/ })).toHaveCount(0);
    });

    await test.step('sharing: A asks, B accepts; stop sharing; remove', async () => {
      const page = pa.page;
      await page.getByRole('button', { name: 'Ask to start sharing' }).click();
      await expect(page.getByText('Waiting for bobp to accept sharing.')).toBeVisible();
      const pageB = await openPeople(pb);
      await pageB.getByTestId('person').filter({ hasText: 'annp' }).click();
      await expect(pageB.getByText('annp asks to start sharing.')).toBeVisible();
      await pageB.getByRole('button', { name: 'Start sharing' }).click();
      await expect(pageB.getByTestId('connection-kind')).toHaveText('Sharing: you can send copies and share entries live.');
      await expect(page.getByTestId('connection-kind')).toHaveText('Sharing: you can send copies and share entries live.', { timeout: 15_000 });
      await page.getByRole('button', { name: 'Stop sharing' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Stop sharing' }).click();
      await expect(page.getByTestId('connection-kind')).toHaveText('Messages only: you can send each other copies.');
      await expect(pageB.getByTestId('connection-kind')).toHaveText('Messages only: you can send each other copies.', { timeout: 15_000 });
      await page.getByRole('button', { name: 'Remove' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
      await expect(page.getByTestId('person')).toHaveCount(0);
      await expect(page.getByText('You are not connected with anyone yet.', { exact: false })).toBeVisible();
      await expect(pageB.getByText('You are no longer connected with this person.')).toBeVisible({ timeout: 15_000 });
    });

    await test.step('the whole database holds none of the titles, passwords, addresses, notes or message notes', async () => {
      const db = new Database(join(server.dataDir, 'latchkey.sqlite'), { readonly: true });
      const tables = db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[];
      const dump = tables.map((t) => JSON.stringify(db.prepare(`select * from "${t.name}"`).all(), (_k, v) => (Buffer.isBuffer(v) ? v.toString('latin1') : v))).join('\n');
      db.close();
      expect(dump).toContain('bobp'); // positive control: usernames are not secret, and the dump reads them
      for (const secret of ['Mail', 'Bank', 'pw-mail-1', 'pw-mail-2', 'pw-bank-1', 'mail.example', 'bank.example', 'recovery 7788', 'bank notes', 'for the trip']) {
        expect(dump, secret).not.toContain(secret);
      }
    });

    await test.step('no request the server received carries them either', async () => {
      const sent = proxy.requests.join('\n');
      // Positive controls: the proxy saw the session's requests, in the clear where they are not secret.
      expect(proxy.requests.length).toBeGreaterThan(20);
      expect(sent).toContain('"bobp"'); // the lookup by username
      expect(sent).toContain('messages.send');
      // Titles as JSON strings (quotes never occur in base64url ciphertext); the rest as they are
      // (each long enough, or with a character base64url lacks, not to occur in ciphertext by chance).
      for (const secret of ['"Mail"', '"Bank"', 'pw-mail-1', 'pw-mail-2', 'pw-bank-1', 'mail.example', 'bank.example', 'recovery 7788', 'bank notes', 'for the trip', MASTER_PASSWORD]) {
        expect(sent, secret).not.toContain(secret);
      }
    });
  } finally {
    await a.close();
    await b.close();
  }
});
