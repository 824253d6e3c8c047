// `npm run bench`: builds the extension into .tmp/bench/output, runs every benchmark, prints the
// table, writes bench/results.json, and keeps bench/latest.json and bench/RESULTS.md (the latest
// figure of every row: a run with --only replaces the rows it measured).
// `npm run bench -- --quick`: the same harness on small data, a single repeat, for CI; the only
// threshold it enforces is the content-script size budget. Any harness failure fails both.
// Options: --only=unlock,vault,popup,content,signin,import,server,links,messages,shares   --no-build   --no-postgres
//          --list: print what the options select and exit, measuring nothing
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { BENCH_EXTENSION_DIR, launchExtension } from './lib/browser';
import { consoleTable, failed, notBuilt, type Row } from './lib/report';
import type { Summary } from './lib/stats';
import { runKdfBench } from './browser/kdf';
import { runExtensionBench } from './browser/extension';
import { contentScriptSize, injectedCoreSize } from './browser/content';
import { runContentBench } from './browser/autologin';
import { runSignInBench } from './browser/first-sign-in';
import { runImportBench } from './browser/import';
import { runServerBench } from './server/changes';
import { runLinkBench } from './server/links';
import { runMessageBench } from './server/messages';
import { runRotationBench } from './server/rotation';
import { runTheirServerBench } from './server/theirs';
import { takeRunLock } from './lib/lock';
import { saveResults } from './lib/results-store';
import { extensionParts, selectGroups, type Group } from './lib/selection';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.some((a) => a.startsWith('--only='));
let groups: ReadonlySet<Group>;
try {
  groups = selectGroups(args);
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
const wants = (g: Group) => groups.has(g);
const parts = extensionParts(groups);
if (args.includes('--list')) {
  console.log(`groups: ${[...groups].join(', ')}`);
  console.log(`extension bench: ${parts ? `${parts.unlockAndList ? 'unlock and first rows' : ''}${parts.unlockAndList && parts.popup ? ', ' : ''}${parts.popup ? 'popup, search and memory' : ''}` : 'not run'}`);
  process.exit(0);
}
const started = Date.now();
const log = (s: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${s}`);

const plan = quick
  ? {
      kdf: { ours: 1, noble: 1 },
      ext: { sizes: [300, 1000], mainSize: 1000, searchSizes: [], unlockRepeats: 1, listRepeats: 1, growthRepeats: 1, popupRepeats: 2, coldRepeats: 1, cycles: 5, queries: ['gith'] },
      content: { repeats: 1, sizes: [1000], siteEntries: 20 },
      signin: { size: 1000, repeats: 1 },
      import: { size: 1000, repeats: 1 },
      server: { databases: ['sqlite', 'postgres'] as ('sqlite' | 'postgres')[], sizes: [1000], scanSize: 1000, concurrencies: [50], growthConcurrency: 50, durationSeconds: 1, repeats: 1, behind: 10 },
      links: { links: 10, repeats: 1, pageRepeats: 2 },
      messages: { repeats: 2, inbox: 200 },
      shares: { repeats: 1, members: 50, entries: 1000 },
    }
  : {
      kdf: { ours: 5, noble: 3 },
      ext: { sizes: [1000, 10000, 50000], mainSize: 10000, searchSizes: [50000], unlockRepeats: 5, listRepeats: 5, growthRepeats: 3, popupRepeats: 10, coldRepeats: 5, cycles: 200, queries: ['github', 'aws prod', 'maria', 'acme admin'] },
      content: { repeats: 10, sizes: [10000], siteEntries: 500 },
      signin: { size: 10000, repeats: 3 },
      import: { size: 10000, repeats: 3 },
      server: { databases: ['sqlite', 'postgres'] as ('sqlite' | 'postgres')[], sizes: [1000, 10000, 50000], scanSize: 10000, concurrencies: [1, 50, 200], growthConcurrency: 50, durationSeconds: 2, repeats: 3, behind: 10 },
      links: { links: 80, repeats: 3, pageRepeats: 10 },
      messages: { repeats: 20, inbox: 1000 },
      shares: { repeats: 3, members: 50, entries: 1000 },
    };
if (args.includes('--no-postgres')) plan.server.databases = ['sqlite'];

const rows: Row[] = [];
let harnessFailed = false;
let overBudget = false;

async function group(name: string, fn: () => Promise<Row[]>): Promise<void> {
  log(`${name}…`);
  try {
    rows.push(...(await fn()));
  } catch (e) {
    harnessFailed = true;
    console.error(e);
    rows.push(failed(name, `${name} benchmarks`, e));
  }
}

function chromiumVersion(): string {
  const r = spawnSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8' });
  // Not installed (a server-only run does not need it): say so rather than end the run without its figures.
  return r.stdout?.trim() || 'not installed';
}

function gitCommit(): string {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).stdout.trim() ? ' (with uncommitted changes)' : '';
  return `${r.stdout.trim()}${dirty}`;
}

await takeRunLock(log);
// Signals end the run through process.exit, so the lock's exit handler runs.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));

if (!args.includes('--no-build')) {
  log('building the extension (wxt build → .tmp/bench/output)');
  const r = spawnSync('npx', ['wxt', 'build', '-c', 'bench/wxt.config.ts'], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(r.stdout, r.stderr);
    console.error('The extension did not build; nothing to measure.');
    process.exit(1);
  }
}

if (wants('content')) {
  const size = contentScriptSize(BENCH_EXTENSION_DIR);
  rows.push(size.row);
  overBudget = size.overBudget;
  const core = injectedCoreSize(BENCH_EXTENSION_DIR);
  if (core) rows.push(core);
}

let argonOurs: Summary | undefined;
if (parts) {
  const b = await launchExtension();
  try {
    if (wants('unlock')) {
      await group('unlock', async () => {
        const r = await runKdfBench(b.context, plan.kdf, log);
        argonOurs = r.ours;
        return r.rows;
      });
    }
    const name = [...groups].filter((g) => g === 'unlock' || g === 'vault' || g === 'popup').join('+');
    await group(name, () => runExtensionBench(b, { ...plan.ext, log, argonBaseline: argonOurs, parts }));
  } finally {
    await b.close();
  }
}
if (wants('content')) await group('content', () => runContentBench(plan.content, log));
if (wants('signin')) await group('signin', () => runSignInBench({ ...plan.signin, log }));
if (wants('import')) await group('import', () => runImportBench({ ...plan.import, log }));

if (wants('server')) await group('server', async () => [...(await runServerBench({ ...plan.server, log })), ...(quick ? [] : await runTheirServerBench(2, log))]);

if (wants('links')) await group('links', () => runLinkBench({ ...plan.links, databases: plan.server.databases, log }));

if (wants('messages')) await group('messages', () => runMessageBench({ ...plan.messages, databases: plan.server.databases, log }));

if (wants('shares')) await group('shares', () => runRotationBench({ ...plan.shares, databases: plan.server.databases, log }));

if (wants('shares')) rows.push(notBuilt('server (later issues)', 'signed writes/s', '—', 'shared-container writes land with issue 14; their benchmark joins then'));

const seconds = (Date.now() - started) / 1000;
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${chromiumVersion()}`;
const table = consoleTable(rows);
console.log(`\n${table}\n`);
console.log(`${quick ? 'quick' : 'full'} run in ${seconds.toFixed(0)} s on ${machine}`);

const missed = rows.filter((r) => r.status === 'MISSED');
const notYet = rows.filter((r) => r.status === 'not built yet');
const bad = rows.filter((r) => r.status === 'FAILED');
const result = { mode: quick ? 'quick' : 'full', date: new Date().toISOString(), commit: gitCommit(), machine, seconds, rows };
writeFileSync('bench/results.json', `${JSON.stringify(result, null, 2)}\n`);
if (!quick) saveResults('bench/latest.json', 'bench/RESULTS.md', rows, { date: result.date, commit: result.commit, machine, seconds, full: !only });

if (overBudget) console.error('FAIL: the content script is over its 8 KB gzipped budget.');
if (harnessFailed || bad.length) console.error(`FAIL: ${bad.length} benchmark(s) could not run.`);
console.log(`${rows.filter((r) => r.status === 'met').length} targets met, ${missed.length} missed, ${notYet.length} not built yet, ${bad.length} failed`);
process.exit(overBudget || harnessFailed || bad.length ? 1 : 0);
