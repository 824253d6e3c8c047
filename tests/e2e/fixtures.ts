// Launches Debian's Chromium with the built extension loaded, one fresh profile per test.
import { test as base, chromium, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const EXTENSION_DIR = resolve(process.env.LATCHKEY_EXTENSION_DIR ?? '.output/chrome-mv3');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumArgs(extraArgs: string[] = []): string[] {
  return [
    `--disable-extensions-except=${EXTENSION_DIR}`,
    `--load-extension=${EXTENSION_DIR}`,
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    ...extraArgs,
  ];
}

/** The tab the extension opens when it is installed (entrypoints/welcome). */
export const isWelcomePage = (page: Page): boolean => new URL(page.url() || 'about:blank').pathname === '/welcome.html';

/**
 * Waits for the welcome tab a fresh install opens, and gives it back. Tests close it first: opened
 * a moment after start-up, it would otherwise become the active tab under the test's own pages.
 */
export async function welcomePageOf(context: BrowserContext, timeout = 15_000): Promise<Page> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const page = context.pages().find(isWelcomePage);
    if (page) return page;
    if (Date.now() > deadline) throw new Error('The welcome tab did not open on install');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * `locale` and `env` set the browser's UI language, and so chrome.i18n's: Playwright Test gives every
 * browser `--lang=en-US` unless `locale` says otherwise, and Chromium on Linux reads LANGUAGE and LANG
 * (e.g. `locale: 'de-DE'`, `env: { LANGUAGE: 'de', LANG: 'de_DE.UTF-8' }`).
 */
export async function launchWithExtension(
  options: { extraArgs?: string[]; userDataDir?: string; keepWelcome?: boolean; locale?: string; env?: Record<string, string> } = {},
): Promise<{
  context: BrowserContext;
  userDataDir: string;
  close: () => Promise<void>;
}> {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No built extension at ${EXTENSION_DIR}: run "npm run build" first`);
  }
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'latchkey-e2e-'));
  // An empty profile installs the extension, which opens its welcome tab; a reused one does not.
  const installs = readdirSync(userDataDir).length === 0;
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: chromiumArgs(options.extraArgs),
    ...(options.locale ? { locale: options.locale } : {}),
    ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
  });
  if (installs && !options.keepWelcome) await (await welcomePageOf(context)).close();
  return {
    context,
    userDataDir,
    close: async () => {
      await context.close();
      if (!options.userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function serviceWorkerOf(context: BrowserContext): Promise<Worker> {
  const existing = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  return existing ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
}

export const test = base.extend<{ context: BrowserContext; extensionId: string; serviceWorker: Worker }>({
  // eslint-disable-next-line no-empty-pattern
  context: async ({}, use) => {
    const launched = await launchWithExtension();
    await use(launched.context);
    await launched.close();
  },
  serviceWorker: async ({ context }, use) => {
    await use(await serviceWorkerOf(context));
  },
  extensionId: async ({ serviceWorker }, use) => {
    await use(new URL(serviceWorker.url()).host);
  },
});

export const expect = test.expect;

/** One browser profile with the extension: a device, for tests that need two. */
export async function launchDevice(options: { userDataDir?: string } = {}) {
  const launched = await launchWithExtension(options);
  const extensionId = new URL((await serviceWorkerOf(launched.context)).url()).host;
  return { ...launched, extensionId };
}
