import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// tests/server/postgres/ is about PostgreSQL itself (connections dropped by a restart): it runs
// only in the PostgreSQL pass, where it cannot be skipped either (it fails without its cluster).
const onPostgres = /^postgres(ql)?:\/\//i.test(process.env.DATABASE_URL ?? '');

// Two projects: extension code (fakeBrowser, fake IndexedDB) and the server (run once per database).
export default defineConfig({
  test: {
    projects: [
      {
        // svelte(): the popup's state classes (*.svelte.ts, runes) are tested as they run.
        plugins: [WxtVitest(), svelte()],
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['tests/unit/setup.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'server',
          include: ['tests/server/**/*.test.ts'],
          setupFiles: ['lib/i18n/node-catalogue.ts'],
          exclude: onPostgres ? [] : ['tests/server/postgres/**'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
