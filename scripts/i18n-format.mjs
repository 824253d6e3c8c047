#!/usr/bin/env node
// Writes each locale's messages.json sorted by key, one message a line, so that changes from
// different branches touch different lines. `node scripts/i18n-format.mjs` (the unit tests check it).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(new URL('..', import.meta.url).pathname, 'public', '_locales');

export function formatCatalogue(messages) {
  const keys = Object.keys(messages).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lines = keys.map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(messages[k])}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  for (const lang of readdirSync(root)) {
    const file = join(root, lang, 'messages.json');
    writeFileSync(file, formatCatalogue(JSON.parse(readFileSync(file, 'utf8'))));
  }
}
