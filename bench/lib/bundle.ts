// Bundles a benchmark page's TypeScript entry (and the project code it imports) for the browser.
import { build } from 'esbuild';
import { resolve } from 'node:path';

export async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [resolve(entry)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    minify: false,
    sourcemap: false,
    logLevel: 'error',
    alias: { '@': resolve('.') },
  });
  return result.outputFiles[0]!.text;
}
