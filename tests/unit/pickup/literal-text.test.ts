// The pick-up page runs without the extension, so its strings come from its own catalogue
// (server/pickup/messages.en.json). No literal words in its HTML or scripts; every key used exists
// and every key in the catalogue is used.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(__dirname, '../../../server/pickup');
const messages = JSON.parse(readFileSync(join(dir, 'messages.en.json'), 'utf8')) as Record<string, string>;
const scripts = readdirSync(join(dir, 'client')).filter((f) => f.endsWith('.ts')).map((f) => ({ file: f, text: readFileSync(join(dir, 'client', f), 'utf8') }));

/** String literals of a script, comments removed (good enough for this small, plain code). */
function literals(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(/'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`/g)].map((m) => m[1] ?? m[2] ?? '');
}

describe('pick-up page text', () => {
  it('has no words in its HTML: only catalogue keys', () => {
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    const text = html.replace(/<[^>]*>/g, ' ').trim();
    expect(text).toBe('');
    for (const [, key] of html.matchAll(/data-i18n="(\w+)"/g)) expect(messages).toHaveProperty(key!);
  });

  it('has no words in its scripts outside the catalogue', () => {
    const offenders: string[] = [];
    for (const { file, text } of scripts) {
      for (const literal of literals(text)) {
        // A phrase (two words or more) or a capitalised word is text for people; keys, tags,
        // attributes, CSS classes, MIME types and paths are single lower-case tokens.
        const bare = literal.replace(/\$\{[^}]*\}/g, '');
        const idList = bare.split(/\s+/).every((token) => /^[a-z0-9]+(-[a-z0-9]+)+$/.test(token));
        if ((/[A-Za-z]{2,}\s+[A-Za-z]{2,}/.test(bare) && !idList) || /^[A-Z][a-z]+$/.test(literal)) offenders.push(`${file}: ${literal}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('uses every key it has, and has every key it uses', () => {
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    const build = readFileSync(join(dir, 'build.ts'), 'utf8');
    // Keys given to t() must exist; every catalogue key must appear as a literal somewhere.
    const called = scripts.flatMap((s) => [...s.text.matchAll(/\bt\(\s*'(\w+)'/g)].map((m) => m[1]!));
    expect(called.length).toBeGreaterThan(20);
    expect(called.filter((k) => !(k in messages))).toEqual([]);
    const mentioned = new Set([
      ...scripts.flatMap((s) => literals(s.text)),
      ...[...html.matchAll(/data-i18n="(\w+)"/g)].map((m) => m[1]!),
      ...[...build.matchAll(/messages\.(\w+)!/g)].map((m) => m[1]!),
    ]);
    expect(Object.keys(messages).filter((k) => !mentioned.has(k))).toEqual([]);
  });
});
