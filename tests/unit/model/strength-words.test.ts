// zxcvbn's words from the catalogue and Intl: the same crack times as zxcvbn's English display, and
// the browser's language where it is not English.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import { translations as english } from '@zxcvbn-ts/language-en';
import { crackTimeText, zxcvbnTranslations } from '../../../lib/model/strength-words';

const DAY = 86_400;

describe('crackTimeText', () => {
  afterEach(() => vi.restoreAllMocks());

  it('says what zxcvbn says in English, from under a second to centuries', () => {
    zxcvbnOptions.setOptions({ translations: english });
    const passwords = ['a', 'abc', 'password', 'Tr0ub4dor', 'Tr0ub4dor&3', 'x7#Kq9!mPz', 'correcthorsebattery', 'quartz lantern obey velvet tundra'];
    const shown = new Set<string>();
    for (const password of passwords) {
      const r = zxcvbn(password);
      const display = String(r.crackTimesDisplay.offlineSlowHashing1e4PerSecond);
      shown.add(display.replace(/^\d+ /, ''));
      expect(crackTimeText(r.crackTimesSeconds.offlineSlowHashing1e4PerSecond), password).toBe(display);
    }
    expect(shown.size).toBeGreaterThanOrEqual(4); // several units, not one
  });

  it('rounds to the largest unit, as zxcvbn does', () => {
    expect(crackTimeText(0.4)).toBe('less than a second');
    expect(crackTimeText(1)).toBe('1 second');
    expect(crackTimeText(89)).toBe('1 minute');
    expect(crackTimeText(4 * 31 * DAY)).toBe('4 months');
    expect(crackTimeText(99 * 372 * DAY)).toBe('99 years');
    expect(crackTimeText(100 * 372 * DAY)).toBe('centuries');
  });

  it('counts in the browser’s language', () => {
    vi.spyOn(fakeBrowser.i18n, 'getUILanguage').mockReturnValue('de');
    expect(crackTimeText(4 * 31 * DAY)).toBe('4 Monate');
    expect(crackTimeText(1)).toBe('1 Sekunde');
  });
});

describe('zxcvbnTranslations', () => {
  it('takes every warning and suggestion from the catalogue, none left empty', () => {
    const ours = zxcvbnTranslations(english);
    expect(Object.keys(ours.warnings).sort()).toEqual(Object.keys(english.warnings).sort());
    expect(Object.keys(ours.suggestions).sort()).toEqual(Object.keys(english.suggestions).sort());
    for (const text of [...Object.values(ours.warnings), ...Object.values(ours.suggestions)]) expect(text).not.toBe('');
    // The English catalogue says what zxcvbn says.
    expect(ours.warnings.topTen).toBe(english.warnings.topTen);
  });
});
