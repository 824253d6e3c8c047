// Smoke tests of the Firefox build (MV2: a background page instead of a service worker and an
// offscreen document, browser_action instead of action; Firefox 102+ has the scripting API in MV2,
// so the core is injected with scripting.executeScript, tabs.executeScript being only a fallback):
// the extension loads, its popup keeps a vault, a fill reaches the right page and only that one,
// and a submitted login is offered for saving on the toolbar button. Served by the Chromium tests'
// loopback sites (tests/e2e/sites).
import { test, expect, values, until, MASTER_PASSWORD } from './harness';

test('the extension loads; from its popup a vault is created, an entry saved, and read back after a lock', async ({ firefox, sites }) => {
  const { ext } = firefox;
  // The popup's own interface ran in Firefox: it asks for a master password to create the vault.
  await expect.poll(() => ext.page.evaluate(() => document.querySelector('#app')?.textContent ?? '')).toContain('Master password');

  expect(await ext.call('session.status')).toMatchObject({ vault: 'none' });
  await ext.createVault();
  expect(await ext.call('session.status')).toMatchObject({ vault: 'unlocked' });

  const saved = await ext.addEntry({ title: 'Mail', username: 'alice@example.com', password: 'pw-Firefox-1', urls: [sites.A], notes: 'in Firefox' });
  expect(saved).toMatchObject({ title: 'Mail', username: 'alice@example.com', urls: [sites.A], hasPassword: true });

  // Locked, nothing can be read; the master password opens it again and the entry is intact.
  await ext.call('session.lock');
  expect(await ext.call('session.status')).toMatchObject({ vault: 'locked' });
  expect(await ext.send('vault.get', { id: saved.id })).toMatchObject({ ok: false, code: 'LOCKED' });
  expect(await ext.send('session.unlock', { password: `${MASTER_PASSWORD}!` })).toMatchObject({ ok: false });
  await ext.call('session.unlock', { password: MASTER_PASSWORD });

  expect(await ext.call('vault.get', { id: saved.id })).toMatchObject({ title: 'Mail', username: 'alice@example.com', password: 'pw-Firefox-1', notes: 'in Firefox', urls: [sites.A] });
  expect((await ext.call('vault.list')).entries.map((e) => e.id)).toEqual([saved.id]);
});

test("the popup's Fill fills username and password on the entry's login page", async ({ firefox, sites }) => {
  const { ext } = firefox;
  await ext.createVault();
  const entry = await ext.addEntry({ title: 'A', username: 'alice@example.com', password: 'pw-A-1', urls: [sites.A] });
  const page = await firefox.openPage(`${sites.A}/login.html`);
  expect(await values(page, '#username', '#password')).toEqual(['', '']);

  const outcome = await ext.call('autofill.fill', { tabId: await ext.tabIdOf(page.url()) });
  expect(outcome).toMatchObject({ status: 'filled', entryId: entry.id });
  expect(await values(page, '#username', '#password')).toEqual(['alice@example.com', 'pw-A-1']);
});

test('a login page of another origin, with no entry of its own, gets nothing', async ({ firefox, sites }) => {
  const { ext } = firefox;
  await ext.createVault();
  await ext.addEntry({ title: 'A', username: 'alice@example.com', password: 'pw-A-1', urls: [sites.A] });
  const page = await firefox.openPage(`${sites.B}/login.html`);

  const outcome = await ext.call('autofill.fill', { tabId: await ext.tabIdOf(page.url()) });
  // Refused for want of an entry (not "nothing": the page's login form was seen and reported).
  expect(outcome.status).toBe('refused');
  expect(outcome.message).toContain(sites.B);
  expect(await values(page, '#username', '#password')).toEqual(['', '']);
});

test('a login typed and submitted is offered for saving, and the toolbar button shows it', async ({ firefox, sites }) => {
  const { ext } = firefox;
  await ext.createVault();
  const page = await firefox.openPage(`${sites.A}/login.html`);
  const tabId = await ext.tabIdOf(page.url());
  await page.type('#username', 'new@example.com');
  await page.type('#password', 'Fresh-Pw-1');
  await Promise.all([page.waitForNavigation(), page.click('#go')]);
  expect(page.url()).toContain('/submit/login');

  const offer = await ext.call('autofill.saveOffer', { tabId });
  expect(offer).toMatchObject({ action: 'save', origin: sites.A, username: 'new@example.com' });
  // The toolbar button tells the person (Firefox MV2 has browserAction, not action).
  await expect.poll(() => ext.badge(tabId)).toBe('+');

  const saved = await ext.call('autofill.answerSaveOffer', { offerId: offer!.offerId, action: 'save' });
  expect(saved).toMatchObject({ username: 'new@example.com', urls: [sites.A] });
  expect((await ext.call('vault.get', { id: saved!.id })).password).toBe('Fresh-Pw-1');
  expect(await ext.call('autofill.saveOffer', { tabId })).toBeNull();
  await expect.poll(() => ext.badge(tabId)).toBe('');
});

// Firefox (ESR 153) names documents in webNavigation and message senders as Chrome does, so fill on
// load takes the same path as in Chromium: the background hands the fill over as the document starts.
test('an entry with autologin on fills its https page on load, and never an http page', async ({ firefox, sites }) => {
  const { ext } = firefox;
  await ext.createVault();
  await ext.addEntry({ title: 'S', username: 'alice@example.com', password: 'pw-S-1', urls: [sites.S, sites.A], autologin: { enabled: true } });
  const page = await firefox.openPage(`${sites.S}/login.html`);
  await until('the fill on load', async () => (await values(page, '#username', '#password')).join(' ') === 'alice@example.com pw-S-1');

  const plain = await firefox.openPage(`${sites.A}/login.html`);
  await new Promise((r) => setTimeout(r, 1500));
  expect(await values(plain, '#username', '#password')).toEqual(['', '']);
});
