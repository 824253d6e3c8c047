// Shares (issue 14) end to end: two and three extension profiles, one real server, the popup
// driven as a person does. Ann's and Bob's profiles live through the serial steps below.
import { expect, test } from '@playwright/test';
import { startSites, type Sites } from './sites/server';
import { startServer, type RunningServer } from './server';
import { acceptOffer, connect, expectMark, openEntrySharing, person, saveMembers, type Person } from './share-people';
import { PopupPage } from './pages/popup';
import { expectAccessible } from './pages/axe';

let server: RunningServer;
let sites: Sites;
let ann: Person;
let bob: Person;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  server = await startServer();
  sites = await startSites();
  ann = await person(server.url, 'ann', [
    { title: 'Mail', username: 'ann', password: 'pw-mail-1', urls: [sites.A] },
    { title: 'Bank', username: 'ann-b', password: 'pw-bank-1', folder: 'Home' },
  ]);
  bob = await person(server.url, 'bob');
  await connect(ann, bob);
});

test.afterAll(async () => {
  await ann?.close();
  await bob?.close();
  await sites?.close();
  await server?.stop();
});

test('view only: Bob accepts, sees it shared by Ann, fills a login page with it, and cannot edit it', async () => {
  test.setTimeout(120_000);
  const pa = await ann.popup();
  await openEntrySharing(pa, 'Mail');
  await expect(pa.page.getByTestId('share-status')).toHaveText(/Not shared yet/);
  await expectAccessible(pa.page, 'the Sharing screen of an entry');
  await saveMembers(pa, { bob: 'View only' });
  await pa.goto();
  await expectMark(pa, 'Mail', 'Shared by me');

  const pb = await bob.popup();
  await acceptOffer(pb, 'ann');
  await expectMark(pb, 'Mail', 'Shared with me by ann');
  await pb.openEntry('Mail');
  await expect(pb.page.getByTestId('entry-share-mark')).toHaveText('Shared with me by ann');
  await expectAccessible(pb.page, 'an entry shared with me');

  const login = await bob.context.newPage();
  await login.goto(`${sites.A}/login.html`);
  const over = await PopupPage.openOver(bob.context, bob.extensionId, login.url());
  await over.openEntry('Mail');
  await over.page.getByRole('button', { name: 'Fill', exact: true }).click();
  await expect(login.locator('#username')).toHaveValue('ann');
  await expect(login.locator('#password')).toHaveValue('pw-mail-1');

  await pb.page.getByTestId('edit-entry').click();
  await pb.fillEntryForm({ password: 'pw-by-bob' });
  await pb.saveForm();
  await expect(pb.page.getByRole('alert')).toContainText('You may only view this shared entry.');
  const [mail] = (await bob.ext.call('vault.list')).entries;
  expect((await bob.ext.call('vault.get', { id: mail!.id })).password).toBe('pw-mail-1');
});

test('view & modify: Ann upgrades Bob, and his edit shows in her open popup within seconds', async () => {
  test.setTimeout(120_000);
  const pa = await ann.popup();
  await openEntrySharing(pa, 'Mail');
  await expect(pa.page.getByTestId('share-status')).toHaveText('You share this.');
  await saveMembers(pa, { bob: 'View & modify' });
  const [mail] = (await bob.ext.call('vault.list')).entries.filter((e) => e.title === 'Mail');
  await expect.poll(async () => (await bob.ext.call('shares.forEntry', { entryId: mail!.id }))?.myRole, { timeout: 20_000 }).toBe('write');

  const open = await ann.popup();
  await open.openEntry('Mail');
  await expect(open.page.getByTestId('view-username')).toHaveText('ann');
  const pb = await bob.popup();
  await pb.openEntry('Mail');
  await pb.editOpenEntry({ username: 'ann.shared' });
  await expect(pb.page.getByTestId('view-username')).toHaveText('ann.shared');
  await expect(open.page.getByTestId('view-username')).toHaveText('ann.shared', { timeout: 5_000 });
});

test('a folder share carries an entry Ann saves into the folder later to Bob', async () => {
  test.setTimeout(120_000);
  const pa = await ann.popup();
  await pa.page.locator('#folder-filter').selectOption('Home');
  await pa.page.getByTestId('share-folder').click();
  await expect(pa.page.getByRole('heading', { name: 'Sharing folder “Home”' })).toBeVisible();
  await expect(pa.page.getByTestId('share-status')).toHaveText(/Not shared yet/, { timeout: 15_000 });
  await saveMembers(pa, { bob: 'View & modify' });

  const pb = await bob.popup();
  await acceptOffer(pb, 'ann');
  await expectMark(pb, 'Bank', 'Shared with me by ann');
  await expect(pb.row('Wifi')).toHaveCount(0);

  await pa.goto();
  await pa.addEntry({ title: 'Wifi', username: 'home', password: 'pw-wifi-1', folder: 'Home' });
  await expectMark(pb, 'Wifi', 'Shared with me by ann');
  await pb.openEntry('Wifi');
  expect((await pb.viewed()).password).toBe('pw-wifi-1');
});

test('Ann stops sharing Mail: it leaves Bob’s vault and stays in hers, unshared', async () => {
  test.setTimeout(120_000);
  const pb = await bob.popup();
  await expectMark(pb, 'Mail', 'Shared with me by ann');
  const pa = await ann.popup();
  await openEntrySharing(pa, 'Mail');
  await pa.page.getByRole('button', { name: 'Stop sharing' }).click();
  await pa.page.getByRole('dialog').getByRole('button', { name: 'Stop sharing' }).click();
  await expect(pa.toast).toContainText('Sharing stopped.');

  // Bob's open list follows; Bank, shared by the folder share, stays (the list did refresh).
  await expect(pb.row('Mail')).toHaveCount(0, { timeout: 20_000 });
  await expectMark(pb, 'Bank', 'Shared with me by ann');
  expect((await bob.ext.call('vault.list')).entries.map((e) => e.title).sort()).toEqual(['Bank', 'Wifi']);
  await pa.goto();
  await expect(pa.row('Mail')).toBeVisible();
  await expect(pa.row('Mail').getByTestId('share-mark')).toHaveCount(0);
  await pa.openEntry('Mail');
  expect((await pa.viewed()).username).toBe('ann.shared');
});
