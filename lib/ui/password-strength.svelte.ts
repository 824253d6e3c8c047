// The entry form's strength meter: the password is rated by the background's meter (the offscreen
// document in Chrome, so zxcvbn never loads in the popup), once typing pauses.
import type { Strength } from '../model/strength';
import type { Ask } from './ask';

export const STRENGTH_DEBOUNCE_MS = 250;

export class PasswordStrength {
  strength = $state.raw<Strength | undefined>(undefined);
  /** A rating was asked for and has not come back yet. */
  pending = $state(false);
  readonly #ask: Ask;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #latest = '';

  constructor(ask: Ask) {
    this.#ask = ask;
  }

  /** Called on every change of the password field. */
  update(password: string): void {
    clearTimeout(this.#timer);
    this.#latest = password;
    if (!password) {
      this.strength = undefined;
      this.pending = false;
      return;
    }
    this.pending = true;
    this.#timer = setTimeout(() => void this.#rate(password), STRENGTH_DEBOUNCE_MS);
  }

  async #rate(password: string): Promise<void> {
    const reply = await this.#ask('health.rate', { password });
    if (password !== this.#latest) return; // typed on meanwhile: a newer rating is on its way
    this.pending = false;
    this.strength = reply.ok && reply.value ? reply.value : undefined;
  }

  stop(): void {
    clearTimeout(this.#timer);
  }
}
