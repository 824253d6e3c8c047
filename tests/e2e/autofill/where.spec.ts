// SECURITY.md 4–8: where a fill may go — the frame's own origin, exact host by default, the
// Public Suffix List in domain mode, no lookalikes, no https-to-http, no foreign form actions.
import { test, expect, seed, openPage, openTab, fillFromPopup, values, settle, mapHosts } from './harness';

const USER = 'alice@example.com';
const PASS = 'pw-Alice-1!';

test.describe('4. the frame’s own origin, never the top page’s', () => {
  test("a frame from B on A gets B's entry, never A's", async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
    const page = await openPage(context, `${sites.A}/frames.html#b`);
    const frame = page.frameLocator('#frame');
    await expect(frame.locator('#password')).toBeVisible();
    const outcome = await fillFromPopup(ext, page);
    expect(outcome.status).not.toBe('filled');
    await expect(frame.locator('#password')).toHaveValue('');

    await ext.addEntry({ title: 'B', username: 'bob', password: 'pw-Bob', urls: [sites.B] });
    expect(await fillFromPopup(ext, page)).toMatchObject({ status: 'filled' });
    await expect(frame.locator('#username')).toHaveValue('bob');
    await expect(frame.locator('#password')).toHaveValue('pw-Bob');
  });

  test('a same-origin frame is filled when the top page has no login', async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
    const page = await openPage(context, `${sites.A}/frames.html#same`);
    await expect(page.frameLocator('#frame').locator('#password')).toBeVisible();
    expect(await fillFromPopup(ext, page)).toMatchObject({ status: 'filled' });
    await expect(page.frameLocator('#frame').locator('#password')).toHaveValue(PASS);
  });

  for (const which of ['sandboxed', 'blank', 'data']) {
    test(`a ${which} frame gets nothing`, async ({ context, extensionId, sites }) => {
      const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
      const page = await openPage(context, `${sites.A}/frames.html#${which}`);
      const frame = page.frameLocator('#frame');
      await expect(frame.locator('#password')).toBeVisible();
      const outcome = await fillFromPopup(ext, page);
      expect(outcome.status).not.toBe('filled');
      await expect(frame.locator('#password')).toHaveValue('');
    });
  }
});

const hosts = mapHosts(['*.co.uk', '*.blogspot.com', 'bank.com', '*.bank.com', 'evil.net', '*.evil.net', 'bank.co', 'xn--bnk-8cd.com']);

test.describe('5–6. exact host by default, registrable domain by opt-in, no lookalikes', () => {
  test.use({ extraArgs: hosts.args, mappedHosts: hosts.pattern });

  const at = (host: string, port: number) => `http://${host}:${port}`;

  test('host mode: another host of the same domain gets nothing', async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'Bank', username: USER, password: PASS, urls: [at('www.bank.co.uk', sites.ports.A)] }]);
    const other = await openPage(context, `${at('login.bank.co.uk', sites.ports.A)}/login.html`);
    expect((await fillFromPopup(ext, other)).status).not.toBe('filled');
    expect(await values(other, '#password')).toEqual(['']);
    const same = await openPage(context, `${at('www.bank.co.uk', sites.ports.A)}/login.html`);
    expect(await fillFromPopup(ext, same)).toMatchObject({ status: 'filled' });
  });

  test('domain mode: same registrable domain yes, across a public suffix never', async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [
      { title: 'Bank', username: USER, password: PASS, urls: [at('www.bank.co.uk', sites.ports.A)], autologin: { match: 'domain' } },
      { title: 'Blog', username: 'alice', password: 'pw-blog', urls: [at('alice.blogspot.com', sites.ports.A)], autologin: { match: 'domain' } },
    ]);
    const sibling = await openPage(context, `${at('login.bank.co.uk', sites.ports.A)}/login.html`);
    expect(await fillFromPopup(ext, sibling)).toMatchObject({ status: 'filled' });
    expect(await values(sibling, '#password')).toEqual([PASS]);
    for (const host of ['evil.co.uk', 'bank2.co.uk', 'mallory.blogspot.com']) {
      const page = await openPage(context, `${at(host, sites.ports.A)}/login.html`);
      expect((await fillFromPopup(ext, page)).status, host).not.toBe('filled');
      expect(await values(page, '#password'), host).toEqual(['']);
      await page.close();
    }
  });

  test('another port is another site', async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A], autologin: { match: 'domain' } }]);
    const page = await openPage(context, `${sites.B}/login.html`);
    expect((await fillFromPopup(ext, page)).status).not.toBe('filled');
    expect(await values(page, '#password')).toEqual(['']);
  });

  test('an IP address matches in canonical form', async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
    const page = await openPage(context, `http://0x7f.0.0.1:${sites.ports.A}/login.html`);
    expect(await fillFromPopup(ext, page)).toMatchObject({ status: 'filled' });
  });

  test('lookalike hosts and URL tricks get nothing', async ({ context, extensionId, sites }) => {
    const p = sites.ports.A;
    const { ext } = await seed(context, extensionId, [
      { title: 'Bank', username: USER, password: PASS, urls: [at('bank.com', p)] },
      { title: 'Bank (domain)', username: 'domain-user', password: 'pw-domain', urls: [at('www.bank.com', p)], autologin: { match: 'domain' } },
    ]);
    for (const url of [
      `${at('bank.com.evil.net', p)}/login.html`,
      `${at('bank-com.evil.net', p)}/login.html`,
      `${at('bank.co', p)}/login.html`,
      `${at('xn--bnk-8cd.com', p)}/login.html`,
      `http://bank.com@evil.net:${p}/login.html`,
      `${at('evil.net', p)}/login.html?u=http://bank.com:${p}/#bank.com`,
    ]) {
      const page = await openPage(context, url);
      expect((await fillFromPopup(ext, page)).status, url).not.toBe('filled');
      expect(await values(page, '#username', '#password'), url).toEqual(['', '']);
      await page.close();
    }
    const real = await openPage(context, `${at('bank.com', p)}/login.html`);
    expect(await fillFromPopup(ext, real)).toMatchObject({ status: 'filled' });
  });
});

test.describe('7. https never goes to http; a bypassed certificate gets nothing', () => {
  test('saved on https, page on http (same host and port): no fill', async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'S', username: USER, password: PASS, urls: [sites.S] }]);
    const page = await openPage(context, `${sites.A}/login.html`);
    expect((await fillFromPopup(ext, page)).status).not.toBe('filled');
    expect(await values(page, '#username', '#password')).toEqual(['', '']);
    const secure = await openPage(context, `${sites.S}/login.html`);
    expect(await fillFromPopup(ext, secure)).toMatchObject({ status: 'filled' });
  });

  test('a page whose certificate warning was clicked through: no fill', async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'X', username: USER, password: PASS, urls: [sites.X], autologin: { enabled: true } }]);
    const page = await context.newPage();
    await page.goto(`${sites.X}/login.html`).catch(() => {});
    await page.click('#details-button');
    await Promise.all([page.waitForURL(`${sites.X}/login.html`), page.click('#proceed-link')]);
    await expect(page.locator('#password')).toBeVisible();
    const outcome = await fillFromPopup(ext, page);
    expect(outcome).toMatchObject({ status: 'refused' });
    expect(outcome.message).toMatch(/certificate/);
    expect(await values(page, '#username', '#password')).toEqual(['', '']);
  });
});

test.describe('8. a form that posts to another origin', () => {
  test('a clicked fill names the target origin first, and fills once accepted', async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
    for (const how of ['cross', 'formaction']) {
      const page = await openPage(context, `${sites.A}/action.html#${how}`);
      const first = await fillFromPopup(ext, page);
      expect(first, how).toMatchObject({ status: 'confirm', actionOrigin: sites.B });
      expect(first.message).toContain(sites.B);
      expect(await values(page, '#username', '#password')).toEqual(['', '']);
      expect(await fillFromPopup(ext, page, { allowActionOrigin: 'http://elsewhere.example' })).toMatchObject({ status: 'confirm' });
      expect(await fillFromPopup(ext, page, { allowActionOrigin: sites.B })).toMatchObject({ status: 'filled' });
      expect(await values(page, '#username', '#password')).toEqual([USER, PASS]);
      await page.close();
    }
  });

  test('an <input name="action"> does not hide the real (same-origin) action', async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
    const page = await openPage(context, `${sites.A}/action.html#named`);
    expect(await fillFromPopup(ext, page)).toMatchObject({ status: 'filled' });
  });

  test('never filled on load', async ({ context, extensionId, sites, serviceWorker }) => {
    await seed(context, extensionId, [{ title: 'S', username: USER, password: PASS, urls: [sites.S], autologin: { enabled: true } }]);
    const page = await openTab(context, serviceWorker, `${sites.S}/action.html#cross`);
    await settle(page, 1200);
    expect(await values(page, '#username', '#password')).toEqual(['', '']);
  });

  test('the password is cleared when the action moves after the fill', async ({ context, extensionId, sites }) => {
    const { ext } = await seed(context, extensionId, [{ title: 'A', username: USER, password: PASS, urls: [sites.A] }]);
    const page = await openPage(context, `${sites.A}/action.html#change`);
    expect(await fillFromPopup(ext, page)).toMatchObject({ status: 'filled' });
    await expect(page.locator('#login')).toHaveAttribute('action', `${sites.B}/submit/stolen`);
    await expect(page.locator('#password')).toHaveValue('');
    expect(await values(page, '#username')).toEqual([USER]);
  });
});
