// The generator's choices as the entry form keeps them between uses (not secret: no output is kept).
import { t } from '../i18n';
import {
  CLASS_ORDER,
  DEFAULT_PASSPHRASE_OPTIONS,
  DEFAULT_PASSWORD_OPTIONS,
  PASSPHRASE_WORDS,
  PASSWORD_LENGTH,
  generatePassphrase,
  generatePassword,
  passphraseEntropyBits,
  passphraseOptionsProblem,
  passwordEntropyBits,
  passwordOptionsProblem,
  type CharacterClass,
  type PassphraseOptions,
  type PasswordOptions,
} from '../generator';

export type GeneratorMode = 'password' | 'passphrase';

export interface GeneratorSettings {
  mode: GeneratorMode;
  password: PasswordOptions;
  passphrase: PassphraseOptions;
}

export const DEFAULT_GENERATOR_SETTINGS: GeneratorSettings = {
  mode: 'password',
  password: { ...DEFAULT_PASSWORD_OPTIONS, classes: [...DEFAULT_PASSWORD_OPTIONS.classes] },
  passphrase: { ...DEFAULT_PASSPHRASE_OPTIONS },
};

const clampInt = (v: unknown, min: number, max: number, fallback: number) =>
  typeof v === 'number' && Number.isInteger(v) ? Math.min(max, Math.max(min, v)) : fallback;

/** Settings read back from storage: anything missing or malformed falls back to the default. */
export function restoreGeneratorSettings(json: string | null | undefined): GeneratorSettings {
  let raw: { mode?: unknown; password?: Record<string, unknown>; passphrase?: Record<string, unknown> } = {};
  try {
    const parsed: unknown = json ? JSON.parse(json) : {};
    if (parsed && typeof parsed === 'object') raw = parsed as typeof raw;
  } catch {
    // fall through to defaults
  }
  const d = DEFAULT_GENERATOR_SETTINGS;
  const pw = raw.password ?? {};
  const pp = raw.passphrase ?? {};
  const classes = Array.isArray(pw.classes) ? CLASS_ORDER.filter((c) => (pw.classes as unknown[]).includes(c)) : [...d.password.classes];
  return {
    mode: raw.mode === 'passphrase' ? 'passphrase' : 'password',
    password: {
      length: clampInt(pw.length, PASSWORD_LENGTH.min, PASSWORD_LENGTH.max, d.password.length),
      classes: classes.length ? classes : [...d.password.classes],
      avoidLookAlikes: typeof pw.avoidLookAlikes === 'boolean' ? pw.avoidLookAlikes : d.password.avoidLookAlikes,
    },
    passphrase: {
      words: clampInt(pp.words, PASSPHRASE_WORDS.min, PASSPHRASE_WORDS.max, d.passphrase.words),
      separator: typeof pp.separator === 'string' && [...pp.separator].length <= 3 ? pp.separator : d.passphrase.separator,
      capitalize: typeof pp.capitalize === 'boolean' ? pp.capitalize : d.passphrase.capitalize,
      includeNumber: typeof pp.includeNumber === 'boolean' ? pp.includeNumber : d.passphrase.includeNumber,
    },
  };
}

export function toggleClass(classes: readonly CharacterClass[], c: CharacterClass, on: boolean): CharacterClass[] {
  return CLASS_ORDER.filter((x) => (x === c ? on : classes.includes(x)));
}

export type Generated = { ok: true; value: string; bits: number } | { ok: false; message: string };

/** One new password or passphrase; `words` is required in passphrase mode. */
export function generateFrom(settings: GeneratorSettings, words: readonly string[] | undefined): Generated {
  if (settings.mode === 'password') {
    const problem = passwordOptionsProblem(settings.password);
    if (problem) return { ok: false, message: problem };
    return { ok: true, value: generatePassword(settings.password), bits: passwordEntropyBits(settings.password) };
  }
  const problem = passphraseOptionsProblem(settings.passphrase);
  if (problem) return { ok: false, message: problem };
  if (!words) return { ok: false, message: t('generatorLoadingWords') };
  return { ok: true, value: generatePassphrase(settings.passphrase, words), bits: passphraseEntropyBits(settings.passphrase, words.length) };
}

/** A plain-words reading of entropy for the generator's label. */
export function describeBits(bits: number): string {
  if (bits < 40) return t('generatorWeak');
  if (bits < 60) return t('generatorFair');
  if (bits < 80) return t('generatorStrong');
  return t('generatorVeryStrong');
}
