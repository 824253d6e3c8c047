// Builds the pick-up page in memory with esbuild when the server starts: the script from
// client/main.ts (with the WebAssembly Argon2 and papaparse split off, loaded when needed), the
// stylesheet, and index.html with its few strings filled in from messages.en.json.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, transform, type Plugin } from 'esbuild';

export interface Asset {
  body: Buffer;
  gzip: Buffer;
  type: string;
}

export interface PickupPage {
  html: Asset;
  /** By file name, served under /l/assets/. */
  assets: Map<string, Asset>;
  /** The assets a browser loads before the page is ready (the stylesheet, the script and its static imports). */
  initial: string[];
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const asset = (body: Buffer | string, type: string): Asset => {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return { body: bytes, gzip: gzipSync(bytes, { level: 9 }), type };
};

/** 'hash-wasm' (imported by lib/crypto/kdf.ts) becomes a stand-in that loads it on first use. */
const lazyHashWasm: Plugin = {
  name: 'lazy-hash-wasm',
  setup(b) {
    const shim = here('./client/hash-wasm-lazy.ts');
    const real = here('./client/argon2-wasm.ts');
    b.onResolve({ filter: /^hash-wasm$/ }, (args) => (args.importer === real ? undefined : { path: shim }));
  },
};

export async function buildPickupPage(): Promise<PickupPage> {
  const result = await build({
    entryPoints: { pickup: here('./client/main.ts') },
    bundle: true,
    minify: true,
    format: 'esm',
    splitting: true,
    write: false,
    outdir: '/assets',
    chunkNames: 'chunk-[hash]',
    target: ['chrome109', 'firefox115', 'safari16'],
    legalComments: 'none',
    plugins: [lazyHashWasm],
    logLevel: 'silent',
    metafile: true,
  });
  const outputs = new Map(Object.entries(result.metafile.outputs).map(([path, output]) => [basename(path), output]));
  const initial = ['pickup.css'];
  const visit = (name: string) => {
    if (initial.includes(name)) return;
    initial.push(name);
    // The metafile names outputs relative to the working folder, so look them up by file name.
    const output = outputs.get(name);
    for (const i of output?.imports ?? []) if (i.kind === 'import-statement') visit(basename(i.path));
  };
  visit('pickup.js');
  const assets = new Map<string, Asset>();
  for (const file of result.outputFiles) assets.set(basename(file.path), asset(Buffer.from(file.contents), 'text/javascript; charset=utf-8'));
  const css = await transform(await readFile(here('./pickup.css'), 'utf8'), { loader: 'css', minify: true });
  assets.set('pickup.css', asset(css.code, 'text/css; charset=utf-8'));

  const messages = JSON.parse(await readFile(here('./messages.en.json'), 'utf8')) as Record<string, string>;
  // The script's static imports are fetched at once, not after the script is parsed.
  const preload = initial.filter((name) => name.endsWith('.js') && name !== 'pickup.js').map((name) => `<link rel="modulepreload" href="/l/assets/${name}">`).join('');
  const html = (await readFile(here('./index.html'), 'utf8'))
    .replace('<script type="module"', `${preload}<script type="module"`)
    .replace('<title></title>', `<title>${escapeHtml(messages.pageTitle!)}</title>`)
    .replace(/data-i18n="(\w+)"><\//g, (_, key: string) => `>${escapeHtml(messages[key] ?? '')}</`)
    .replace(/>\s+</g, '><');
  return { html: asset(html, 'text/html; charset=utf-8'), assets, initial };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** What a browser downloads before the PIN field is ready, and everything the page may load, gzipped. */
export function pageWeight(page: PickupPage): { initialGzipBytes: number; totalGzipBytes: number } {
  const initial = page.initial.reduce((sum, name) => sum + page.assets.get(name)!.gzip.length, page.html.gzip.length);
  let total = page.html.gzip.length;
  for (const a of page.assets.values()) total += a.gzip.length;
  return { initialGzipBytes: initial, totalGzipBytes: total };
}
