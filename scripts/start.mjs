#!/usr/bin/env node
// `npm start`: build the extension for Chrome and Firefox, then run the companion server on its
// embedded database, and say where the extension is and how to load it.
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('The extension build failed; see the output above.');
  process.exit(build.status ?? 1);
}

const out = resolve(root, process.env.LATCHKEY_OUT_DIR ?? '.output');
const chrome = resolve(out, 'chrome-mv3');
const firefox = resolve(out, 'firefox-mv2');
console.log(`
Latchkey is built.
  Chrome / Chromium / Edge: open chrome://extensions, turn on "Developer mode",
    click "Load unpacked" and choose:
      ${chrome}
  Firefox: open about:debugging#/runtime/this-firefox, click "Load Temporary Add-on…"
    and choose the manifest.json in:
      ${firefox}
Starting the companion server (Ctrl+C to stop)…
`);

const server = spawn('npx', ['tsx', 'server/index.ts'], { cwd: root, stdio: 'inherit', env: process.env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code) => process.exit(code ?? 0));
