#!/usr/bin/env node
// `npm run bench [-- --quick] [-- --only=unlock,vault,popup,content,server] [-- --no-build]`:
// runs bench/run.ts under tsx. See bench/README.md for what is measured and how.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
