// The built extension has an icon of its own (public/icon, drawn in assets/icon.svg and rendered by
// scripts/icons.mjs; the toolbar's in wxt.config.ts): the manifest names it for the extension and for the toolbar button, and every
// file it names is in the build, at the size it claims.
import { test, expect } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXTENSION_DIR } from './fixtures';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1'), `${file} is a PNG`).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('the manifest names icons and a toolbar icon that are in the build', () => {
  const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as { icons?: Record<string, string>; action?: { default_icon?: Record<string, string> } };
  for (const [what, icons] of [['icons', manifest.icons], ['action.default_icon', manifest.action?.default_icon]] as const) {
    expect(Object.keys(icons ?? {}).sort(), what).toEqual(['128', '16', '32', '48']);
    for (const [size, path] of Object.entries(icons ?? {})) {
      const file = join(EXTENSION_DIR, path);
      expect(existsSync(file), `${what} ${size}: ${path}`).toBe(true);
      expect(pngSize(file)).toEqual({ width: Number(size), height: Number(size) });
    }
  }
});
