// Shares (issue 14) end to end with three extension profiles and one real server: the owner
// removes one of two members; the one who stays reads and writes on, the removed one has nothing.
import { expect, test } from '@playwright/test';
import { startServer, type RunningServer } from './server';
import { acceptOffer, connect, expectMark, openEntrySharing, person, saveMembers, type Person } from './share-people';

let server: RunningServer;
const people: Person[] = [];

test.beforeAll(async () => {
  server = await startServer();
});

test.afterAll(async () => {
  for (const p of people) await p.close();
  await server?.stop();
});

test('after Dan removes Fay, Eve still reads and writes, and Fay has nothing of it left', async () => {
  test.setTimeout(240_000);
  const dan = await person(server.url, 'dan', [{ title: 'Router', username: 'admin', password: 'pw-router-1' }]);
  const eve = await person(server.url, 'eve');
  const fay = await person(server.url, 'fay');
  people.push(dan, eve, fay);
  await connect(dan, eve);
  await connect(dan, fay);

  const pd = await dan.popup();
  await openEntrySharing(pd, 'Router');
  await saveMembers(pd, { eve: 'View & modify', fay: 'View & modify' });
  const pe = await eve.popup();
  await acceptOffer(pe, 'dan');
  const pf = await fay.popup();
  await acceptOffer(pf, 'dan');
  // Positive control: Fay has it before she is removed.
  await expectMark(pf, 'Router', 'Shared with me by dan');
  await expectMark(pe, 'Router', 'Shared with me by dan');

  await pd.goto();
  await openEntrySharing(pd, 'Router');
  await pd.page.getByTestId('share-member').filter({ hasText: 'fay' }).getByRole('checkbox').uncheck();
  await expect(pd.page.getByTestId('share-key-note')).toContainText('Saving removes fay');
  await saveMembers(pd, {});
  await expect(pd.page.getByTestId('share-member').filter({ hasText: 'fay' }).getByRole('checkbox')).toHaveCount(1);

  // Fay's open list loses it; her background holds neither the entry nor the share.
  await expect(pf.row('Router')).toHaveCount(0, { timeout: 20_000 });
  await expect(pf.page.getByText('Your vault is empty.')).toBeVisible();
  expect((await fay.ext.call('vault.list')).entries).toEqual([]);
  expect(await fay.ext.call('shares.offers')).toEqual([]);

  // Eve reads on, and writes under the new key: Dan's open entry shows her edit.
  const open = await dan.popup();
  await open.openEntry('Router');
  await pe.goto();
  await pe.openEntry('Router');
  expect((await pe.viewed()).password).toBe('pw-router-1');
  await pe.editOpenEntry({ password: 'pw-router-2' });
  await open.page.getByRole('button', { name: 'Show password' }).click();
  await expect(open.page.getByTestId('view-password')).toHaveText('pw-router-2', { timeout: 10_000 });
  // And Dan's edit reaches Eve's open entry.
  await open.editOpenEntry({ username: 'root' });
  await expect(pe.page.getByTestId('view-username')).toHaveText('root', { timeout: 10_000 });
  expect((await fay.ext.call('vault.list')).entries).toEqual([]);
});
