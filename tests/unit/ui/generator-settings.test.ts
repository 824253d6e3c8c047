import { describe, expect, it } from 'vitest';
import { CHARACTER_CLASSES } from '../../../lib/generator';
import { WORDS } from '../../../lib/generator/words';
import {
  DEFAULT_GENERATOR_SETTINGS,
  describeBits,
  generateFrom,
  restoreGeneratorSettings,
  toggleClass,
} from '../../../lib/ui/generator-settings';

describe('restoreGeneratorSettings', () => {
  it('falls back to the defaults for nothing, garbage or the wrong shape', () => {
    for (const stored of [null, undefined, '', 'not json', '42', '[]', '{"password": 7}']) {
      expect(restoreGeneratorSettings(stored)).toEqual(DEFAULT_GENERATOR_SETTINGS);
    }
  });

  it('keeps valid choices and clamps or drops the rest', () => {
    const s = restoreGeneratorSettings(JSON.stringify({
      mode: 'passphrase',
      password: { length: 4000, classes: ['digits', 'emoji', 'lower'], avoidLookAlikes: true },
      passphrase: { words: 1, separator: '-----', capitalize: true, includeNumber: 'yes' },
    }));
    expect(s.mode).toBe('passphrase');
    expect(s.password).toEqual({ length: 128, classes: ['lower', 'digits'], avoidLookAlikes: true });
    expect(s.passphrase).toEqual({ words: 3, separator: '-', capitalize: true, includeNumber: false });
  });

  it('never restores an empty set of classes', () => {
    expect(restoreGeneratorSettings('{"password":{"classes":[]}}').password.classes).toEqual(DEFAULT_GENERATOR_SETTINGS.password.classes);
  });
});

describe('generateFrom', () => {
  it('makes a password or a passphrase with its entropy', () => {
    const pw = generateFrom({ ...DEFAULT_GENERATOR_SETTINGS, password: { length: 16, classes: ['digits'], avoidLookAlikes: false } }, undefined);
    expect(pw.ok && /^\d{16}$/.test(pw.value) && pw.bits === 53).toBe(true);
    const phrase = generateFrom({ ...DEFAULT_GENERATOR_SETTINGS, mode: 'passphrase' }, WORDS);
    expect(phrase.ok && phrase.value.split('-').length === 5).toBe(true);
  });

  it('explains what is wrong instead of throwing', () => {
    expect(generateFrom({ ...DEFAULT_GENERATOR_SETTINGS, password: { length: 16, classes: [], avoidLookAlikes: false } }, undefined)).toEqual({
      ok: false,
      message: 'Choose at least one kind of character.',
    });
    expect(generateFrom({ ...DEFAULT_GENERATOR_SETTINGS, mode: 'passphrase' }, undefined).ok).toBe(false);
  });

  it('toggles classes in a fixed order', () => {
    expect(toggleClass(['digits'], 'upper', true)).toEqual(['upper', 'digits']);
    expect(toggleClass(['lower', 'digits'], 'lower', false)).toEqual(['digits']);
    expect(Object.keys(CHARACTER_CLASSES)).toHaveLength(4);
    expect(describeBits(30)).toBe('weak');
    expect(describeBits(128)).toBe('very strong');
  });
});
