// The project's WXT config, built into a folder of the benchmark's own so a build another engineer
// starts in the same tree cannot swap the extension out from under a running benchmark.
import { defineConfig } from 'wxt';
import base from '../wxt.config';

export default defineConfig({ ...base, outDir: '.tmp/bench/output' });
