#!/usr/bin/env node
// Renders assets/icon.svg to public/icon/<size>.png (16, 32, 48, 128) in headless Chromium, where
// WXT finds them for the manifest's icons. Run after changing the SVG: `node scripts/icons.mjs`.
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';

export const ICON_SIZES = [16, 32, 48, 128];
const root = new URL('..', import.meta.url).pathname;
const svg = readFileSync(join(root, 'assets', 'icon.svg'), 'utf8');
const out = join(root, 'public', 'icon');
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  for (const size of ICON_SIZES) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    const sized = svg.replace('<svg ', `<svg width="${size}" height="${size}" `);
    await page.setContent(`<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block}</style>${sized}`);
    await page.screenshot({ path: join(out, `${size}.png`), omitBackground: true });
    await page.close();
    console.log(`public/icon/${size}.png`);
  }
} finally {
  await browser.close();
}
