import { defineConfig } from '@playwright/test';

// Firefox smoke tests: the built MV2 extension (.output-ff/firefox-mv2) in Debian's Firefox ESR,
// driven by puppeteer-core over WebDriver BiDi (see harness.ts). Run by scripts/test-firefox.mjs.
// Files end in .firefox.ts so the Chromium run (playwright.config.ts, *.spec.ts) never picks them up.
export default defineConfig({
  testDir: '.',
  testMatch: '*.firefox.ts',
  // Its own folder (relative to this file): the Chromium run owns ./test-results, and a run empties its folder first.
  outputDir: '../../../.tmp/firefox-test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
});
