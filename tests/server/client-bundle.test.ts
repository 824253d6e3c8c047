// lib/api/client.ts goes into the extension: bundling it must pull in no server code at all.
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('the API client bundle', () => {
  it('contains @trpc/client and no server runtime', async () => {
    const result = await build({
      entryPoints: ['lib/api/client.ts'],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((i) => i.includes('@trpc/client'))).toBe(true);
    expect(inputs.filter((i) => i.startsWith('server/'))).toEqual([]);
    expect(inputs.filter((i) => /node_modules\/(kysely|better-sqlite3|pg|pg-[a-z]+|zod)\//.test(i))).toEqual([]);
    const size = result.outputFiles[0]!.contents.length;
    expect(size).toBeLessThan(100_000);
  });
});
