// The generator panel's state: settings (remembered in localStorage) and the current candidate.
import { t } from '../i18n';
import { loadWordList, type CharacterClass } from '../generator';
import { generateFrom, restoreGeneratorSettings, toggleClass, type GeneratorMode, type GeneratorSettings } from './generator-settings';

const STORAGE_KEY = 'latchkey.generator';

export class Generator {
  settings = $state<GeneratorSettings>(restoreGeneratorSettings(readStored()));
  value = $state('');
  bits = $state(0);
  problem = $state('');
  #words: readonly string[] | undefined;

  async regenerate(): Promise<void> {
    if (this.settings.mode === 'passphrase' && !this.#words) {
      try {
        this.#words = await loadWordList();
      } catch {
        this.problem = t('generatorWordsFailed');
        return;
      }
    }
    const out = generateFrom($state.snapshot(this.settings), this.#words);
    if (out.ok) {
      this.value = out.value;
      this.bits = out.bits;
      this.problem = '';
    } else {
      this.value = '';
      this.problem = out.message;
    }
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify($state.snapshot(this.settings)));
    } catch {
      // storage full or disabled: the settings simply are not remembered
    }
  }

  /** Changes the settings and draws a new candidate with them. */
  update(change: (s: GeneratorSettings) => void): void {
    change(this.settings);
    void this.regenerate();
  }

  setMode(mode: GeneratorMode): void {
    this.update((s) => (s.mode = mode));
  }

  setClass(c: CharacterClass, on: boolean): void {
    this.update((s) => (s.password.classes = toggleClass(s.password.classes, c, on)));
  }
}

function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
