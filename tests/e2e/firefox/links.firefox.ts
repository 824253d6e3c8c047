// Link shares in Firefox (MV2, a background page): the link dialog in the extension's popup page
// builds a link (Argon2id in the background page), and Firefox opens it on the server's pick-up
// page, showing who sent it, and reveals it with the PIN.
import type { Page } from 'puppeteer-core';
import { startServer, type RunningServer } from '../server';
import { expect, MASTER_PASSWORD, test, until } from './harness';

const ARGON = 60_000;
let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.stop();
});

/** Clicks the first element matching `selector` whose text (or aria-label) is `text`, once it is there. */
async function click(page: Page, selector: string, text: string, timeoutMs = 20_000): Promise<void> {
  await until(
    `"${text}" (${selector})`,
    () =>
      page.evaluate(
        (selector, text) => {
          const el = [...document.querySelectorAll<HTMLElement>(selector)].find((e) => e.getAttribute('aria-label') === text || e.textContent?.trim() === text || e.querySelector('.title')?.textContent?.trim() === text);
          if (!el || (el as HTMLButtonElement).disabled) return false;
          el.click();
          return true;
        },
        selector,
        text,
      ),
    timeoutMs,
  );
}

test('the link dialog makes a link in Firefox, and Firefox opens it on the pick-up page with the PIN', async ({ firefox }) => {
  test.setTimeout(240_000);
  const { ext } = firefox;
  await ext.createVault();
  await ext.addEntry({ title: 'Mail', username: 'fox@example.com', password: 'pw-Firefox-link', urls: ['https://mail.example'] });
  await ext.call('account.register', { serverUrl: server.url, username: 'fox', email: 'fox@example.com', password: MASTER_PASSWORD });

  const popup = await firefox.openExtensionPage('/popup.html');
  await click(popup, '[role="row"]', 'Mail');
  await click(popup, 'button', 'Share');
  await click(popup, 'button', 'Link share…');
  await until('the link dialog', () => popup.evaluate(() => document.querySelector('h1')?.textContent === 'Link share'));
  await click(popup, 'button[type="submit"]', 'Create link');
  const { url, pin } = await until(
    'the link',
    () =>
      popup.evaluate(() => {
        const url = document.querySelector<HTMLInputElement>('[data-testid="link-url"]')?.value;
        const pin = document.querySelector('[data-testid="link-pin"]')?.textContent?.trim();
        return url && pin ? { url, pin } : false;
      }),
    ARGON,
  );
  expect(url).toMatch(new RegExp(`^${server.url}/l/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}$`));
  expect(pin).toMatch(/^\d{5}$/);

  const page = await firefox.openPage(url);
  await page.waitForSelector('#secret', { visible: true });
  expect(await page.$eval('#sender', (e) => e.textContent)).toBe('Shared by fox');
  await page.type('#secret', pin);
  await click(page, 'button[type="submit"]', 'Reveal');
  await until('the revealed entry', () => page.evaluate(() => document.querySelector('h1')?.textContent?.startsWith('Shared with you:') === true), ARGON);
  await click(page, 'button', 'Show the password of Mail');
  expect(await page.evaluate(() => document.body.textContent)).toContain('pw-Firefox-link');
});
