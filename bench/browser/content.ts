// The autologin content script: its gzipped size (a budget that fails the run), its main-thread
// time on a page without forms, and autologin latency from form present to filled.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { judge, notBuilt, type Row } from '../lib/report';
import { summarize } from '../lib/stats';

export const SIZE_BUDGET_BYTES = 8 * 1024;

/**
 * Every script the manifest injects into pages (content_scripts[].js), wherever the build put it:
 * the autologin sentinel is a plain script at the root (entrypoints/autologin.ts), the shadow-root
 * hint a WXT content script under content-scripts/. Anything left in content-scripts/ counts too.
 */
export function contentScriptFiles(extensionDir: string): string[] {
  const files = new Set<string>();
  const manifestFile = join(extensionDir, 'manifest.json');
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { content_scripts?: { js?: string[] }[] };
    for (const c of manifest.content_scripts ?? []) for (const js of c.js ?? []) files.add(join(extensionDir, js));
  }
  const dir = join(extensionDir, 'content-scripts');
  if (existsSync(dir)) for (const f of readdirSync(dir)) if (f.endsWith('.js')) files.add(join(dir, f));
  return [...files].filter((f) => existsSync(f));
}

/** Gzipped size of every content script (zlib level 9, as a server would serve it at best). */
export function contentScriptSize(extensionDir: string): { row: Row; overBudget: boolean } {
  const files = contentScriptFiles(extensionDir);
  if (files.length === 0) {
    return { row: notBuilt('content script', 'autologin content script, gzipped', '≤ 8 KB (fails the run)', 'no content script in the manifest (entrypoints/autologin.ts not there yet)'), overBudget: false };
  }
  let raw = 0;
  let gz = 0;
  const parts: string[] = [];
  for (const f of files) {
    const bytes = readFileSync(f);
    const g = gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length;
    gz += g;
    parts.push(`${f.slice(extensionDir.length + 1)}: ${(g / 1024).toFixed(2)} KB gz`);
  }
  const row = judge({
    group: 'content script',
    name: 'content scripts, gzipped (sum of the manifest\'s content_scripts)',
    unit: 'KB',
    value: summarize([gz / 1024]),
    baseline: { name: 'uncompressed', value: summarize([raw / 1024]) },
    ratio: gz / raw,
    ratioText: 'compression',
    targets: [{ on: 'value', op: '<=', limit: SIZE_BUDGET_BYTES / 1024, text: '≤ 8 KB (fails the run)' }],
    note: parts.join('; '),
  });
  return { row, overBudget: gz > SIZE_BUDGET_BYTES };
}

/** The detection core the background injects only into frames that may hold a login (information). */
export function injectedCoreSize(extensionDir: string): Row | undefined {
  const file = join(extensionDir, 'autologin-core.js');
  if (!existsSync(file)) return undefined;
  const bytes = readFileSync(file);
  const gz = gzipSync(bytes, { level: 9 }).length;
  return judge({
    group: 'content script',
    name: 'autologin core (autologin-core.js, injected only where a login field is), gzipped',
    unit: 'KB',
    value: summarize([gz / 1024]),
    baseline: { name: 'uncompressed', value: summarize([bytes.length / 1024]) },
    ratio: gz / bytes.length,
    ratioText: 'compression',
    note: 'not a content script of the manifest, so outside the 8 KB budget; shown for the record',
  });
}
