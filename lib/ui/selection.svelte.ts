// Several entries chosen in the list at once (to put into one link share).
import { SvelteMap } from 'svelte/reactivity';
import type { LinkSubject } from './link-draft.svelte';

export class Selection {
  /** The list is in selection mode: a click or Enter selects instead of opening. */
  active = $state(false);
  readonly #chosen = new SvelteMap<string, string>();

  get size(): number {
    return this.#chosen.size;
  }

  has(id: string): boolean {
    return this.#chosen.has(id);
  }

  toggle(entry: LinkSubject): void {
    if (this.#chosen.has(entry.id)) this.#chosen.delete(entry.id);
    else this.#chosen.set(entry.id, entry.title);
  }

  entries(): LinkSubject[] {
    return [...this.#chosen].map(([id, title]) => ({ id, title }));
  }

  start(): void {
    this.active = true;
  }

  stop(): void {
    this.active = false;
    this.#chosen.clear();
  }
}
