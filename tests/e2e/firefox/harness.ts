// Firefox end-to-end harness: Debian's Firefox ESR with the built MV2 extension
// (.output-ff/firefox-mv2, see scripts/test-firefox.mjs), driven over WebDriver BiDi by
// puppeteer-core. Playwright's own Firefox is a patched build this machine cannot download, so
// Playwright here is only the test runner (tests/e2e/firefox/playwright.config.ts).
//
// - The extension is installed as a temporary add-on; the pref extensions.webextensions.uuids pins
//   its moz-extension:// UUID, so its pages have a known address.
// - Firefox's BiDi refuses to navigate to moz-extension:// unless started with
//   --remote-allow-system-access, and even then reports no load event for the page (puppeteer's
//   goto never settles): extension pages are opened without waiting on goto, then polled.
// - Nothing leaves the machine: every proxied request goes to a local proxy that refuses it and
//   records what Firefox tried to reach (loopback is never proxied), and the prefs below turn off
//   updates, telemetry, remote settings and the like.
import { test as base, expect } from '@playwright/test';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join, resolve } from 'node:path';
import type { Envelope, MessageType, RequestOf, ResponseOf } from '../../../lib/messages/protocol';
import { MASTER_PASSWORD, ProtocolClient } from '../pages/seed';
import { sitesPerWorker, type Sites } from '../sites/server';

export { expect, MASTER_PASSWORD };

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const FIREFOX_EXTENSION_DIR = resolve(process.env.LATCHKEY_FIREFOX_EXTENSION_DIR ?? '.output-ff/firefox-mv2');

/** Waits for a condition (a load, the background starting), never for a fixed time. */
export async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}${last ? `: ${last instanceof Error ? last.message : String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function geckoIdOf(dir: string): string {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`No built Firefox extension at ${dir}: run "node scripts/test-firefox.mjs" (it builds one)`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { manifest_version: number; browser_specific_settings?: { gecko?: { id?: string } } };
  const id = manifest.browser_specific_settings?.gecko?.id;
  if (!id) throw new Error(`${manifestPath} has no browser_specific_settings.gecko.id`);
  return id;
}

/** A local proxy that refuses everything and remembers what was asked for. */
export interface Outside {
  port: number;
  attempts: string[];
  close(): Promise<void>;
}

export async function startOutside(): Promise<Outside> {
  const attempts: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    attempts.push(`${req.method} ${req.url}`);
    res.writeHead(403, { connection: 'close' }).end();
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req, socket: Socket) => {
    attempts.push(`CONNECT ${req.url}`);
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as AddressInfo).port,
    attempts,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((done) => server.close(() => done()));
    },
  };
}

/** Prefs on top of puppeteer's (which already stop updates, safe browsing and most telemetry). */
function prefs(geckoId: string, uuid: string, proxyPort: number): Record<string, unknown> {
  return {
    'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: uuid }),
    // Everything that is not loopback goes to the refusing proxy (loopback never does:
    // network.proxy.allow_hijacking_localhost is false).
    'network.proxy.type': 1,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': proxyPort,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': proxyPort,
    'network.proxy.share_proxy_settings': true,
    'network.proxy.no_proxies_on': '',
    'network.proxy.allow_hijacking_localhost': false,
    'network.trr.mode': 5,
    'network.dns.disablePrefetch': true,
    'network.predictor.enabled': false,
    'network.prefetch-next': false,
    'network.http.speculative-parallel-limit': 0,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'app.update.auto': false,
    'app.update.enabled': false,
    'app.normandy.enabled': false,
    'app.shield.optoutstudies.enabled': false,
    'toolkit.telemetry.enabled': false,
    'toolkit.telemetry.unified': false,
    'toolkit.telemetry.server': '',
    'datareporting.policy.dataSubmissionEnabled': false,
    'datareporting.healthreport.uploadEnabled': false,
    'browser.ping-centre.telemetry': false,
    'browser.newtabpage.activity-stream.feeds.telemetry': false,
    'browser.newtabpage.activity-stream.telemetry': false,
    'browser.region.update.enabled': false,
    'browser.region.network.url': '',
    'browser.search.geoip.url': '',
    'browser.topsites.contile.enabled': false,
    'browser.safebrowsing.provider.mozilla.updateURL': '',
    'browser.safebrowsing.provider.google4.updateURL': '',
    'browser.safebrowsing.provider.google.updateURL': '',
    'extensions.blocklist.enabled': false,
    'extensions.getAddons.cache.enabled': false,
    'extensions.systemAddon.update.enabled': false,
    'extensions.update.enabled': false,
    'messaging-system.rsexperimentloader.enabled': false,
    'geo.provider.network.url': '',
    'media.gmp-manager.url': '',
    'media.gmp-gmpopenh264.enabled': false,
    'media.gmp-widevinecdm.enabled': false,
    'security.OCSP.enabled': 0,
    'security.remote_settings.crlite_filters.enabled': false,
    'security.remote_settings.intermediates.enabled': false,
    'services.settings.poll_interval': 86_400 * 365,
    'identity.fxaccounts.enabled': false,
  };
}

/** The extension's popup page, opened in a tab, sending protocol messages as the popup does. */
export class FirefoxExtensionPage extends ProtocolClient {
  constructor(readonly page: Page) {
    super();
  }

  async send<T extends MessageType>(type: T, payload?: RequestOf<T>): Promise<Envelope<ResponseOf<T>>> {
    return this.page.evaluate(
      (type, payload) => browser.runtime.sendMessage({ latchkey: 1, type, payload }),
      type,
      payload as never,
    ) as Promise<Envelope<ResponseOf<T>>>;
  }

  /** The toolbar button's badge on a tab (Firefox MV2: browserAction, which returns a promise here). */
  async badge(tabId: number): Promise<string> {
    return this.page.evaluate(
      (tabId) => (browser.browserAction.getBadgeText as unknown as (details: { tabId: number }) => Promise<string>)({ tabId }),
      tabId,
    );
  }

  /** The tab id of the tab showing this URL. */
  async tabIdOf(url: string): Promise<number> {
    const id = await this.page.evaluate(async (url) => (await browser.tabs.query({})).find((t) => t.url === url)?.id, url);
    if (id === undefined) throw new Error(`No tab at ${url}`);
    return id;
  }
}

export interface FirefoxWithExtension {
  browser: Browser;
  /** moz-extension://<uuid> */
  origin: string;
  ext: FirefoxExtensionPage;
  /** Opens an extension page (path like "/popup.html") in a new tab and waits for it to load. */
  openExtensionPage(path: string): Promise<Page>;
  /** Opens a web page in a new tab and waits for its load event. */
  openPage(url: string): Promise<Page>;
  close(): Promise<void>;
}

/** Starts Firefox ESR on a fresh profile, installs the extension and opens its popup page. */
export async function launchFirefox(outside: Outside): Promise<FirefoxWithExtension> {
  if (!existsSync(FIREFOX)) throw new Error(`No Firefox at ${FIREFOX}: apt-get install firefox-esr (scripts/test-firefox.mjs does)`);
  const geckoId = geckoIdOf(FIREFOX_EXTENSION_DIR);
  const uuid = randomUUID();
  const origin = `moz-extension://${uuid}`;
  const firefox = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    // The loopback sites' https port has a self-signed certificate (tests only, as Chromium's
    // --ignore-certificate-errors-spki-list in the Chromium tests).
    acceptInsecureCerts: true,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: prefs(geckoId, uuid, outside.port),
    env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' },
  });
  try {
    const installed = await firefox.installExtension(FIREFOX_EXTENSION_DIR);
    if (installed !== geckoId) throw new Error(`Firefox installed the extension as ${installed}, not ${geckoId}`);

    const openExtensionPage = async (path: string): Promise<Page> => {
      const url = `${origin}${path}`;
      const page = await firefox.newPage();
      // Settles only with "Frame detached" when the browser closes: see the header.
      void page.goto(url).catch(() => {});
      await until(`${url} to load`, async () => (await page.evaluate(() => `${location.href} ${document.readyState}`)) === `${url} complete`);
      return page;
    };
    const ext = new FirefoxExtensionPage(await openExtensionPage('/popup.html'));
    // The background page starts on its own time: wait until it answers.
    await until('the background to answer', async () => (await ext.send('session.status'))?.ok);
    return {
      browser: firefox,
      origin,
      ext,
      openExtensionPage,
      async openPage(url) {
        const page = await firefox.newPage();
        await page.goto(url, { waitUntil: 'load' });
        return page;
      },
      close: () => firefox.close(),
    };
  } catch (e) {
    await firefox.close().catch(() => {});
    throw e;
  }
}

export async function values(page: Page, ...selectors: string[]): Promise<string[]> {
  return Promise.all(selectors.map((s) => page.$eval(s, (el) => (el as HTMLInputElement).value)));
}

/** One set of loopback sites and one refusing proxy per worker; a fresh Firefox profile per test. */
export const test = base.extend<{ firefox: FirefoxWithExtension }, { sites: Sites; outside: Outside }>({
  sites: [sitesPerWorker, { scope: 'worker' }],
  outside: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const outside = await startOutside();
      await use(outside);
      if (outside.attempts.length) console.log(`Firefox tried to reach (refused): ${[...new Set(outside.attempts)].join(', ')}`);
      await outside.close();
    },
    { scope: 'worker' },
  ],
  firefox: async ({ outside }, use) => {
    const firefox = await launchFirefox(outside);
    await use(firefox);
    await firefox.close();
  },
});
