#!/usr/bin/env node
// End-to-end smoke tests of the Firefox build in Debian's Firefox ESR (tests/e2e/firefox).
//   node scripts/test-firefox.mjs [--report file.json] [--build | --no-build] [playwright args…]
// Installs firefox-esr from Debian when /usr/bin/firefox-esr is missing, builds the Firefox MV2
// extension into .output-ff/ (its own folder, so other runs' .output/ is left alone) when any
// source is newer than that build (--build: always, --no-build: never), runs the tests, prints the
// pass/fail count, and exits non-zero on any failure. --report writes Playwright's JSON report
// there (scripts/test.mjs reads the counts from it).
// FIREFOX_PATH and LATCHKEY_FIREFOX_EXTENSION_DIR (a build made elsewhere; never rebuilt) override.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { takeOption } from './args.mjs';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
function takeFlag(name) {
  const i = args.indexOf(name);
  if (i !== -1) args.splice(i, 1);
  return i !== -1;
}
const report = resolve(root, takeOption(args, '--report') ?? join('.tmp', 'firefox', 'e2e-firefox.json'));
const forceBuild = takeFlag('--build');
const noBuild = takeFlag('--no-build');

const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const OUT_DIR = '.output-ff';
const extensionDir = resolve(root, process.env.LATCHKEY_FIREFOX_EXTENSION_DIR ?? join(OUT_DIR, 'firefox-mv2'));
const started = Date.now();

function fail(message) {
  console.error(message);
  console.log('Firefox end-to-end tests: 0 passed, 1 failed');
  process.exit(1);
}

// 1. Firefox ESR, from Debian (as scripts/test.mjs installs Chromium).
if (!existsSync(FIREFOX)) {
  console.log(`No Firefox at ${FIREFOX}: installing firefox-esr from Debian`);
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo'];
  const apt = (a) => spawnSync(asRoot[0] ?? 'apt-get', asRoot.length ? ['apt-get', ...a] : a, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  apt(['update', '-qq']);
  if (apt(['install', '-y', '-qq', 'firefox-esr']).status !== 0 || !existsSync(FIREFOX)) fail('Could not install firefox-esr; the Firefox end-to-end tests cannot run.');
}

// 2. The extension, built when a source is newer than the build.
function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let t = s.mtimeMs;
  for (const name of readdirSync(path)) t = Math.max(t, newest(join(path, name)));
  return t;
}
const SOURCES = ['entrypoints', 'lib', 'components', 'public', 'assets', 'wxt.config.ts', 'package.json', 'package-lock.json', 'tsconfig.json'];
if (!process.env.LATCHKEY_FIREFOX_EXTENSION_DIR && !noBuild) {
  const manifest = join(extensionDir, 'manifest.json');
  const builtAt = existsSync(manifest) ? statSync(manifest).mtimeMs : 0;
  const changedAt = Math.max(...SOURCES.map((p) => newest(join(root, p))));
  if (forceBuild || changedAt > builtAt) {
    console.log(`Building the Firefox extension into ${OUT_DIR}/`);
    const r = spawnSync('npx', ['wxt', 'build', '-b', 'firefox'], { cwd: root, stdio: 'inherit', env: { ...process.env, LATCHKEY_OUT_DIR: OUT_DIR } });
    if (r.status !== 0) fail('The Firefox build failed.');
  } else {
    console.log(`${OUT_DIR}/firefox-mv2 is newer than every source: not rebuilt`);
  }
}
if (!existsSync(join(extensionDir, 'manifest.json'))) fail(`No built extension at ${extensionDir}`);

// 3. The tests (Playwright as the runner; puppeteer-core drives Firefox, see tests/e2e/firefox/harness.ts).
mkdirSync(dirname(report), { recursive: true });
rmSync(report, { force: true });
const r = spawnSync('npx', ['playwright', 'test', '-c', 'tests/e2e/firefox/playwright.config.ts', '--reporter=list,json', ...args], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: report, FIREFOX_PATH: FIREFOX, LATCHKEY_FIREFOX_EXTENSION_DIR: extensionDir },
});

let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const s = JSON.parse(readFileSync(report, 'utf8')).stats ?? {};
  passed = s.expected ?? 0;
  failed = (s.unexpected ?? 0) + (s.flaky ?? 0) + (s.skipped ?? 0);
} else {
  failed = 1;
}
const ok = r.status === 0 && failed === 0 && passed > 0;
if (!ok && failed === 0) failed = 1;
console.log(`Firefox end-to-end tests: ${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exit(ok ? 0 : 1);
