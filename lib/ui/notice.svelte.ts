// A short message at the bottom of the popup ("Password copied"), announced to screen readers.
export class Notice {
  text = $state('');
  kind = $state<'info' | 'error'>('info');
  #timer: ReturnType<typeof setTimeout> | undefined;

  show(text: string, kind: 'info' | 'error' = 'info', ms = kind === 'error' ? 6000 : 2500): void {
    this.text = text;
    this.kind = kind;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => (this.text = ''), ms);
  }

  clear(): void {
    clearTimeout(this.#timer);
    this.text = '';
  }
}
