import { test, expect, seed, openPage, fillFromPopup, values } from './harness';

test('the popup fills the current page with the matching entry', async ({ context, extensionId, sites }) => {
  const { ext, ids } = await seed(context, extensionId, [{ title: 'A', username: 'alice@example.com', password: 'pw-A-1', urls: [sites.A] }]);
  const page = await openPage(context, `${sites.A}/login.html`);
  const outcome = await fillFromPopup(ext, page);
  expect(outcome).toMatchObject({ status: 'filled', entryId: ids[0] });
  expect(await values(page, '#username', '#password')).toEqual(['alice@example.com', 'pw-A-1']);
});
