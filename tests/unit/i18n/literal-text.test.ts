// Guards the rule that every string a person sees comes from the catalogue: the extension's pages
// (Svelte components and the entrypoints' HTML) must not carry literal words, and the catalogue must
// hold exactly the keys the code uses.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'svelte/compiler';

const root = new URL('../../../', import.meta.url).pathname;
const catalogue = JSON.parse(readFileSync(join(root, 'public/_locales/en/messages.json'), 'utf8')) as Record<string, unknown>;

function filesUnder(dir: string, extensions: readonly string[]): string[] {
  return (readdirSync(join(root, dir), { recursive: true }) as string[])
    .filter((f) => extensions.some((ext) => f.endsWith(ext)))
    .map((f) => join(dir, f));
}

/** Attributes (and component props) whose value a person reads or hears. */
const READ_ATTRIBUTES = new Set([
  'aria-label', 'aria-description', 'aria-placeholder', 'aria-roledescription', 'aria-valuetext',
  'title', 'placeholder', 'alt', 'label', 'message', 'confirmLabel', 'hint', 'error',
]);
/**
 * Literal text allowed on a page: the product's name in an HTML <title> before the script sets it,
 * and a manifest message (WXT copies the popup's <title> into the manifest's action title).
 */
const ALLOWED = new Set(['Latchkey']);
const MANIFEST_MESSAGE = /^__MSG_\w+__$/;
const LETTER = /\p{L}/u;

interface Found { where: string; text: string }

type Node = { type?: string; name?: string; data?: string; value?: unknown; start?: number; [k: string]: unknown };

/** Literal words in a template: text nodes outside {…}, and read attributes with literal letters. */
function literalText(source: string): Found[] {
  const ast = parse(source, { modern: true });
  const found: Found[] = [];
  const at = (n: Node) => `line ${source.slice(0, n.start ?? 0).split('\n').length}`;
  const visit = (node: unknown, inElement?: string): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, inElement));
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    if (n.type === 'Text') {
      const text = (n.data ?? '').trim();
      if (LETTER.test(text) && !MANIFEST_MESSAGE.test(text) && !(inElement === 'title' && ALLOWED.has(text))) found.push({ where: at(n), text });
      return;
    }
    // style:height="{h}px" and other directives hold code and CSS, not words.
    if (n.type === 'Comment' || n.type === 'ExpressionTag' || n.type?.endsWith('Directive')) return;
    if (n.type === 'Attribute') {
      if (READ_ATTRIBUTES.has(n.name ?? '') && Array.isArray(n.value)) {
        const text = (n.value as Node[]).filter((v) => v.type === 'Text').map((v) => v.data ?? '').join('');
        if (LETTER.test(text)) found.push({ where: `${at(n)} (${n.name})`, text });
      }
      return;
    }
    // <style> and <script> are not in the fragment; elements and blocks are walked through their children.
    const element = n.type === 'RegularElement' || n.type === 'Component' ? n.name : inElement;
    for (const [key, value] of Object.entries(n)) {
      if (key !== 'metadata' && key !== 'expression' && key !== 'context' && key !== 'key' && key !== 'test') visit(value, element);
    }
  };
  visit(ast.fragment);
  return found;
}

describe('literal text on the extension pages', () => {
  // The offscreen document is never shown: its <title> names it for the browser's task manager only.
  const pages = [...filesUnder('components', ['.svelte']), ...filesUnder('entrypoints', ['.svelte', '.html'])].filter(
    (f) => !f.startsWith(join('entrypoints', 'offscreen')),
  );

  it('finds the pages to check', () => {
    expect(pages.length).toBeGreaterThan(10);
  });

  it('flags text nodes and read attributes with letters, and nothing in {…}, scripts, styles or comments', () => {
    const found = literalText(`<script>const a = 'Words';</script>
      <p>Hello {name}</p><p>{t('x')}</p><p>· — ✕ 12</p><!-- a comment -->
      <button aria-label="Close" title={t('y')} class="quiet">✕</button><X label="Back {n}" hint={h} /><div style:height="{h}px"></div>
      <input placeholder="https://example.com" /><img alt="" />
      <style>p { color: red; }</style>`);
    expect(found.map((f) => f.text)).toEqual(['Hello', 'Close', 'Back ', 'https://example.com']);
  });

  it('holds no literal words (put them in public/_locales/en/messages.json and use t())', () => {
    const offenders = pages.flatMap((file) =>
      literalText(readFileSync(join(root, file), 'utf8')).map((f) => `${relative('.', file)} ${f.where}: ${JSON.stringify(f.text)}`),
    );
    expect(offenders).toEqual([]);
  });
});

describe('the catalogue and the code agree', () => {
  const sources = [...filesUnder('lib', ['.ts', '.svelte']), ...filesUnder('components', ['.svelte', '.ts']), ...filesUnder('entrypoints', ['.ts', '.svelte', '.html']), 'wxt.config.ts']
    .filter((f) => !f.endsWith('.d.ts'))
    .map((f) => readFileSync(join(root, f), 'utf8'));
  const code = sources.join('\n');

  it('has every key that t() and tn() are called with', () => {
    const missing: string[] = [];
    for (const m of code.matchAll(/\bt\(\s*['"]([^'"]+)['"]/g)) if (!(m[1]! in catalogue)) missing.push(m[1]!);
    for (const m of code.matchAll(/\btn\(\s*['"]([^'"]+)['"]/g)) if (!(`${m[1]}_other` in catalogue)) missing.push(`${m[1]}_other`);
    expect(missing).toEqual([]);
  });

  it('has no key the code never names (a dead message is work for every translator)', () => {
    const unused = Object.keys(catalogue).filter((key) => {
      const base = key.replace(/_(zero|one|two|few|many|other)$/, '');
      return !code.includes(`'${base}'`) && !code.includes(`"${base}"`) && !code.includes(`__MSG_${key}__`);
    });
    expect(unused).toEqual([]);
  });
});
