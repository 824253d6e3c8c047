#!/usr/bin/env node
// `npm test`: everything, in order — type check, unit tests, the server on SQLite and on PostgreSQL,
// the extension build, and end-to-end tests in Chromium and in Firefox ESR. Installs what npm
// cannot (Chromium, PostgreSQL, Firefox ESR) from Debian when missing. Skips nothing silently: a
// missing prerequisite is a failure. The one exception is the forms-corpus replay, whose corpus is
// kept beside the repository (../shared/): without it the replay is not run, the output and the
// summary say so loudly, and under CI=true it is a failure instead.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_TEST, corpusPlan } from './corpus.mjs';

const root = new URL('..', import.meta.url).pathname;
const reports = join(root, '.tmp', 'test-reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const CHROMIUM = process.env.CHROMIUM_PATH ?? DEBIAN_CHROMIUM;
const CHROMIUM_GERMAN = '/usr/lib/chromium/locales/de.pak';
const PG_BIN = '/usr/lib/postgresql/15/bin';

function run(title, cmd, args, env = {}) {
  console.log(`\n=== ${title} ===`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`=== ${title}: ${r.status === 0 ? 'ok' : 'FAILED'} (${secs} s) ===`);
  return r.status === 0;
}

function aptInstall(packages) {
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo'];
  const apt = (args) => spawnSync(asRoot[0] ?? 'apt-get', asRoot.length ? ['apt-get', ...args] : args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  apt(['update', '-qq']);
  return apt(['install', '-y', '-qq', ...packages]).status === 0;
}

function ensurePrerequisites() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push('chromium');
  // The German end-to-end test needs Chromium's German UI, which Debian ships apart.
  if (CHROMIUM === DEBIAN_CHROMIUM && !existsSync(CHROMIUM_GERMAN)) missing.push('chromium-l10n');
  if (!existsSync(join(PG_BIN, 'initdb'))) missing.push('postgresql-15');
  if (missing.length === 0) return true;
  console.log(`Installing from Debian: ${missing.join(', ')}`);
  if (!aptInstall(missing)) {
    console.error(`Could not install ${missing.join(', ')}; the end-to-end or PostgreSQL tests cannot run.`);
    return false;
  }
  return existsSync(CHROMIUM) && (CHROMIUM !== DEBIAN_CHROMIUM || existsSync(CHROMIUM_GERMAN)) && existsSync(join(PG_BIN, 'initdb'));
}

/** Reads passed/failed counts from a vitest or Playwright JSON report. */
function counts(file) {
  if (!existsSync(file)) return { passed: 0, failed: 1, note: 'no report' };
  const r = JSON.parse(readFileSync(file, 'utf8'));
  if ('numPassedTests' in r) return { passed: r.numPassedTests, failed: r.numFailedTests + (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0) };
  const s = r.stats ?? {};
  return { passed: s.expected ?? 0, failed: (s.unexpected ?? 0) + (s.flaky ?? 0) + (s.skipped ?? 0) };
}

const steps = [];
const step = (name, ok, report) => steps.push({ name, ok, ...(report ? counts(report) : {}) });

step('prerequisites (Chromium, PostgreSQL)', ensurePrerequisites());
step('type check', run('type check', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']) && run('type check (end-to-end tests)', 'npx', ['tsc', '--noEmit', '-p', 'tests/e2e/tsconfig.json']) && run('type check (benchmarks)', 'npx', ['tsc', '--noEmit', '-p', 'bench/tsconfig.json']));
step('svelte check', run('svelte check', 'npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--threshold', 'error', '--output', 'human']));

const unitReport = join(reports, 'unit.json');
step('unit tests', run('unit tests', 'npx', ['vitest', 'run', '--project', 'unit', '--reporter=default', '--reporter=json', `--outputFile.json=${unitReport}`]), unitReport);

for (const db of ['sqlite', 'postgres']) {
  const report = join(reports, `server-${db}.json`);
  step(`server tests on ${db}`, run(`server tests on ${db}`, 'node', ['scripts/test-server.mjs', '--db', db, '--report', report]), report);
}

step('build (Chrome and Firefox)', run('build', 'npm', ['run', 'build']));

const corpus = corpusPlan({ root, env: process.env });
const notRun = [];
if (!corpus.run) {
  notRun.push(`forms-corpus replay (tests/e2e/corpus.spec.ts): NOT RUN — ${corpus.reason}`);
  console.log(`\n!!! The forms-corpus replay will NOT run: ${corpus.reason}.\n!!! Autofill is then not scored against the corpus. Under CI=true this is a failure.`);
}
const e2eReport = join(reports, 'e2e.json');
const e2eArgs = ['playwright', 'test', '--reporter=list,json', ...(corpus.run ? [] : ['--grep-invert', CORPUS_TEST])];
step('end-to-end tests', run('end-to-end tests in Chromium', 'npx', e2eArgs, { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport }), e2eReport);

// The Firefox MV2 build in Debian's Firefox ESR (installed when missing), built into .output-ff/.
const firefoxReport = join(reports, 'e2e-firefox.json');
step('end-to-end tests in Firefox', run('end-to-end tests in Firefox ESR', 'node', ['scripts/test-firefox.mjs', '--report', firefoxReport]), firefoxReport);

// Keeps the benchmark harness working; its only threshold here is the content script's size budget.
step('benchmark harness (quick)', run('benchmark harness (npm run bench -- --quick)', 'node', ['scripts/bench.mjs', '--quick']));

console.log('\n=== Summary ===');
let passed = 0;
let failed = 0;
for (const s of steps) {
  const tally = s.passed === undefined ? '' : ` — ${s.passed} passed, ${s.failed} failed`;
  console.log(`${s.ok ? 'ok  ' : 'FAIL'} ${s.name}${tally}`);
  passed += s.passed ?? 0;
  failed += s.failed ?? 0;
  if (!s.ok && (s.failed ?? 0) === 0) failed += 1;
}
for (const line of notRun) console.log(`NOT RUN ${line}`);
console.log(`${passed} passed, ${failed} failed${notRun.length ? `, ${notRun.length} not run (see above)` : ''}`);
process.exit(steps.every((s) => s.ok) ? 0 : 1);
