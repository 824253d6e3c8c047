import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fillMessage, fallbackMessage } from '../../../lib/i18n/fallback';
import { t, tn, tParts } from '../../../lib/i18n';

const catalogue = JSON.parse(readFileSync(new URL('../../../public/_locales/en/messages.json', import.meta.url), 'utf8')) as Record<string, { message: string; description?: string }>;

describe('the localization catalogue', () => {
  it('names every message as Chrome accepts it, with a description for translators', () => {
    for (const [key, value] of Object.entries(catalogue)) {
      expect(key, key).toMatch(/^[A-Za-z0-9_@]+$/);
      expect(key.startsWith('@@'), key).toBe(false);
      expect(value.message.length, key).toBeGreaterThan(0);
      expect(value.description?.length ?? 0, `${key} has no description`).toBeGreaterThan(0);
    }
  });

  it('writes a literal dollar sign only as $$ (a lone $ is taken for a placeholder)', () => {
    for (const [key, { message }] of Object.entries(catalogue)) {
      expect(message.replace(/\$(\$|[1-9])/g, ''), key).not.toContain('$');
    }
  });

  it('gives every plural message an _other form', () => {
    for (const key of Object.keys(catalogue)) {
      const m = /^(.*)_(zero|one|two|few|many)$/.exec(key);
      if (m) expect(catalogue[`${m[1]}_other`], `${key} without ${m[1]}_other`).toBeDefined();
    }
  });
});

describe('substitutions', () => {
  it('replaces $1…$9 and keeps $$ as a dollar sign', () => {
    expect(fillMessage('Delete “$1” from $2?', ['a', 'b'])).toBe('Delete “a” from b?');
    expect(fillMessage('costs $$5 for $1', ['x'])).toBe('costs $5 for x');
    expect(fillMessage('missing $2', ['x'])).toBe('missing ');
  });

  it('writes a number the browser’s way, and a string as it is', () => {
    expect(t('settingsIdleInvalid', 1, 1440)).toBe('Enter a whole number of minutes from 1 to 1,440 (24 hours).');
    expect(t('settingsIdleInvalid', '1', '1440')).toBe('Enter a whole number of minutes from 1 to 1440 (24 hours).');
    expect(tParts('importProgress', 1500, 2000).map((p) => p.text).join('')).toBe('Importing: 1,500 of 2,000 checked');
  });

  it('answers from the English catalogue where the browser has no i18n API', () => {
    expect(fallbackMessage('actionCancel', [])).toBe('Cancel');
    expect(fallbackMessage('no such key', [])).toBe('');
    expect(t('actionCancel')).toBe('Cancel');
  });
});

describe('plurals', () => {
  it('chooses the form for the count and formats the count', () => {
    const plural = Object.keys(catalogue).find((k) => k.endsWith('_one'));
    if (!plural) throw new Error('the catalogue has no plural message yet');
    const base = plural.slice(0, -4) as Parameters<typeof tn>[0];
    expect(tn(base, 1)).toBe(fillMessage(catalogue[`${base}_one`]!.message, ['1']));
    expect(tn(base, 1234)).toBe(fillMessage(catalogue[`${base}_other`]!.message, ['1,234']));
  });
});

describe('the catalogue file', () => {
  it('is sorted, one message a line (node scripts/i18n-format.mjs), so that branches merge cleanly', async () => {
    // @ts-expect-error: a plain .mjs script without types
    const { formatCatalogue } = (await import('../../../scripts/i18n-format.mjs')) as { formatCatalogue(m: unknown): string };
    const text = readFileSync(new URL('../../../public/_locales/en/messages.json', import.meta.url), 'utf8');
    expect(text).toBe(formatCatalogue(JSON.parse(text)));
  });
});

describe('tParts', () => {
  it('cuts a message at its substitutions, in the order the message puts them', () => {
    expect(tParts('popupSaveOfferSaveAs', 'example.com', 'ada')).toEqual([
      { text: 'Save the login for ' },
      { text: 'example.com', sub: 0 },
      { text: ' as ' },
      { text: 'ada', sub: 1 },
      { text: '?' },
    ]);
  });
});
