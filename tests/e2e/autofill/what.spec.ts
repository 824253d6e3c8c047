// SECURITY.md 9–12: what may be filled — visible fields only, the field that was detected, no
// login into sign-up or change-password forms, and multi-step memory for one tab and origin.
import { test, expect, seed, openPage, fillFromPopup, values, clickMenu, pressFillCommand } from './harness';

const USER = 'alice@example.com';
const PASS = 'pw-Alice-1!';

test.describe('9. only visible fields', () => {
  const hidden = ['display-none', 'visibility-hidden', 'hidden-attribute', 'tiny', 'zero-size', 'off-screen', 'off-screen-top', 'clipped', 'screen-reader-only', 'transparent-field', 'faded-ancestor', 'faded-body'];

  test('no password goes into a hidden, tiny, off-screen, clipped or faded field', async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
    const page = await context.newPage();
    for (const how of hidden) {
      await page.goto(`${sites.A}/visibility.html#${how}`);
      await page.reload();
      await fillFromPopup(ext, page);
      expect(await values(page, '#password'), how).toEqual(['']);
      // Where the whole form is out of sight, the username is not filled either.
      if (/off-screen|clipped|screen-reader|faded/.test(how)) expect(await values(page, '#username'), how).toEqual(['']);
    }
    await page.goto(`${sites.A}/visibility.html#visible`);
    await page.reload();
    expect(await fillFromPopup(ext, page)).toMatchObject({ status: 'filled' });
    expect(await values(page, '#username', '#password')).toEqual([USER, PASS]);
  });

  test('a frame under a transparent ancestor gets nothing', async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'B', username: 'bob', password: 'pw-Bob', urls: [sites.B] }]);
    const page = await openPage(context, `${sites.A}/frames.html#faded`);
    const frame = page.frameLocator('#frame');
    await expect(frame.locator('#password')).toBeAttached();
    const outcome = await fillFromPopup(ext, page);
    expect(outcome.status).not.toBe('filled');
    await expect(frame.locator('#password')).toHaveValue('');
  });
});

test.describe('10. only the field that was detected', () => {
  for (const how of ['type', 'rename', 'replace']) {
    test(`a password field the page swaps while filling (${how}) gets nothing`, async ({ context, extensionId, sites }) => {
      const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
      const page = await openPage(context, `${sites.A}/identity.html#${how}`);
      const outcome = await fillFromPopup(ext, page);
      expect(outcome.status).toBe('refused');
      expect(await values(page, '#password')).toEqual(['']);
      expect(await page.evaluate(() => [...document.querySelectorAll('input')].some((i) => i.value.includes('pw-Alice')))).toBe(false);
    });
  }
});

test.describe('11. sign-up and change-password forms get the generator, not a login', () => {
  for (const file of ['signup.html', 'change.html']) {
    test(`${file}: no login fill`, async ({ context, extensionId, sites }) => {
      const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
      const page = await openPage(context, `${sites.A}/${file}`);
      const outcome = await fillFromPopup(ext, page);
      expect(outcome).toMatchObject({ status: 'refused' });
      expect(outcome.message).toMatch(/Generate password/);
      expect(await page.evaluate(() => [...document.querySelectorAll('input')].map((i) => i.value).filter(Boolean))).toEqual([]);
    });
  }

  test('"Generate password" fills the new and the confirm field and keeps it as a save offer', async ({ context, extensionId, sites, serviceWorker }) => {
    const { ext } = await seed(context, extensionId, []);
    const page = await openPage(context, `${sites.A}/signup.html`);
    await page.click('#new', { button: 'right' });
    await clickMenu(serviceWorker, ext, page, 'latchkey-generate');
    await expect(page.locator('#new')).not.toHaveValue('');
    const [generated, confirm] = await values(page, '#new', '#confirm');
    expect(generated!.length).toBeGreaterThanOrEqual(16);
    expect(confirm).toBe(generated);
    const tabId = await ext.tabIdOf(page.url());
    await expect.poll(() => ext.call('autofill.saveOffer', { tabId })).toMatchObject({ action: 'save', origin: sites.A });
  });
});

test.describe('12. multi-step logins remember the entry for that tab and origin only', () => {
  test('the entry chosen on the username step is used on the password step', async ({ context, extensionId, sites, serviceWorker }) => {
    const { ext, ids } = await seed(context, extensionId, [
      { title: 'Alice', username: 'alice', password: 'pw-Alice', urls: [sites.A] },
      { title: 'Bob', username: 'bob', password: 'pw-Bob', urls: [sites.A] },
      { title: 'B', username: 'carol', password: 'pw-Carol', urls: [sites.B] },
    ]);
    const page = await openPage(context, `${sites.A}/step-username.html`);
    expect(await fillFromPopup(ext, page, { entryId: ids[1] })).toMatchObject({ status: 'filled', entryId: ids[1] });
    expect(await values(page, '#username')).toEqual(['bob']);
    await Promise.all([page.waitForURL(/step-password/), page.click('#next')]);

    // Without naming an entry (the key, the menu's top item): Bob, not the first match Alice.
    await page.click('#password');
    await pressFillCommand(serviceWorker, ext, page);
    await expect(page.locator('#password')).toHaveValue('pw-Bob');

    // Another tab of the same site does not inherit it.
    const other = await openPage(context, `${sites.A}/step-password.html`);
    expect(await fillFromPopup(ext, other)).toMatchObject({ status: 'filled', entryId: ids[0] });
    expect(await values(other, '#password')).toEqual(['pw-Alice']);

    // Another origin in the same tab does not either.
    await page.goto(`${sites.B}/step-password.html`);
    expect(await fillFromPopup(ext, page)).toMatchObject({ status: 'filled', entryId: ids[2] });
    expect(await values(page, '#password')).toEqual(['pw-Carol']);
  });
});
