// Offering to save a login a person typed and submitted, or to update one whose password changed:
// shown on the toolbar button and answered in the popup, never drawn by the page.
import type { Page } from '@playwright/test';
import { test, expect, seed, openPage } from './harness';
import { MASTER_PASSWORD, type ExtensionPage } from '../pages/seed';

async function typeAndSubmit(page: Page, username: string, password: string) {
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(/submit/), page.click('#go')]);
}

async function offerOf(ext: ExtensionPage, tabId: number) {
  return ext.call('autofill.saveOffer', { tabId });
}

test('a new login is offered for saving, and saved as an entry for that origin', async ({ context, extensionId, sites }) => {
  const { ext } = await seed(context, extensionId, []);
  const page = await openPage(context, `${sites.A}/login.html`);
  const tabId = await ext.tabIdOf(page.url());
  await typeAndSubmit(page, 'new@example.com', 'Fresh-Pw-1');
  const offer = await offerOf(ext, tabId);
  expect(offer).toMatchObject({ action: 'save', origin: sites.A, username: 'new@example.com' });
  expect(JSON.stringify(offer)).not.toContain('Fresh-Pw-1');
  await expect.poll(() => ext.badge(tabId)).toBe('+');

  const saved = await ext.call('autofill.answerSaveOffer', { offerId: offer!.offerId, action: 'save' });
  expect(saved).toMatchObject({ username: 'new@example.com', urls: [sites.A], title: '127.0.0.1' });
  expect((await ext.call('vault.get', { id: saved!.id })).password).toBe('Fresh-Pw-1');
  expect(await offerOf(ext, tabId)).toBeNull();
  expect(await ext.badge(tabId)).toBe('');
});

test('a changed password is offered as an update of the saved entry', async ({ context, extensionId, sites }) => {
  const { ext, ids } = await seed(context, extensionId, [{ title: 'Mine', username: 'me@example.com', password: 'Old-Pw-1', urls: [sites.A] }]);
  const page = await openPage(context, `${sites.A}/login.html`);
  const tabId = await ext.tabIdOf(page.url());
  await typeAndSubmit(page, 'me@example.com', 'New-Pw-2');
  const offer = await offerOf(ext, tabId);
  expect(offer).toMatchObject({ action: 'update', entryId: ids[0], entryTitle: 'Mine' });
  const updated = await ext.call('autofill.answerSaveOffer', { offerId: offer!.offerId, action: 'update' });
  expect(updated!.id).toBe(ids[0]);
  expect(updated!.revision).toBeGreaterThan(1);
  const entry = await ext.call('vault.get', { id: ids[0]! });
  expect(entry).toMatchObject({ password: 'New-Pw-2', title: 'Mine', username: 'me@example.com' });
});

test('the saved password, submitted again, offers nothing; a dismissed offer is gone', async ({ context, extensionId, sites }) => {
  const { ext } = await seed(context, extensionId, [{ title: 'Mine', username: 'me@example.com', password: 'Same-Pw-1', urls: [sites.A] }]);
  const page = await openPage(context, `${sites.A}/login.html`);
  const tabId = await ext.tabIdOf(page.url());
  await typeAndSubmit(page, 'me@example.com', 'Same-Pw-1');
  expect(await offerOf(ext, tabId)).toBeNull();
  expect(await ext.badge(tabId)).toBe('');

  await page.goto(`${sites.A}/login.html`);
  await typeAndSubmit(page, 'other@example.com', 'Other-Pw-1');
  const offer = await offerOf(ext, tabId);
  expect(offer).toMatchObject({ action: 'save' });
  expect(await ext.call('autofill.answerSaveOffer', { offerId: offer!.offerId, action: 'dismiss' })).toBeNull();
  expect(await offerOf(ext, tabId)).toBeNull();
});

test('a login submitted while locked is offered after unlock; locking forgets offers', async ({ context, extensionId, sites }) => {
  const { ext, ids } = await seed(context, extensionId, [{ title: 'Mine', username: 'me@example.com', password: 'Old-Pw-1', urls: [sites.A] }]);
  await ext.call('session.lock');
  const page = await openPage(context, `${sites.A}/login.html`);
  const tabId = await ext.tabIdOf(page.url());
  await typeAndSubmit(page, 'me@example.com', 'Newer-Pw-3');
  await ext.call('session.unlock', { password: MASTER_PASSWORD });
  expect(await offerOf(ext, tabId)).toMatchObject({ action: 'update', entryId: ids[0] });
  await ext.call('session.lock');
  await ext.call('session.unlock', { password: MASTER_PASSWORD });
  expect(await offerOf(ext, tabId)).toBeNull();
});

test('an offer outlives a restart of the service worker, password included', async ({ context, extensionId, sites }) => {
  const { ext } = await seed(context, extensionId, []);
  const page = await openPage(context, `${sites.A}/login.html`);
  const tabId = await ext.tabIdOf(page.url());
  await typeAndSubmit(page, 'kept@example.com', 'Kept-Pw-7');
  const offer = await offerOf(ext, tabId);
  expect(offer).toMatchObject({ action: 'save', username: 'kept@example.com' });

  // Stop the worker, as Chrome does when it is idle, and see it stopped before asking again.
  const cdp = await context.newCDPSession(ext.page);
  const stopped: string[] = [];
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions) if (v.scriptURL.startsWith(`chrome-extension://${extensionId}/`) && v.runningStatus === 'stopped') stopped.push(v.versionId);
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await expect.poll(() => stopped.length).toBeGreaterThan(0);

  expect(await offerOf(ext, tabId)).toEqual(offer);
  const saved = await ext.call('autofill.answerSaveOffer', { offerId: offer!.offerId, action: 'save' });
  expect((await ext.call('vault.get', { id: saved!.id })).password).toBe('Kept-Pw-7');
  expect(await offerOf(ext, tabId)).toBeNull();
});
