// Svelte actions shared by the popup's components.

/** Focuses the element once it is in the document (the `autofocus` attribute does not fire on re-mount). */
export function focusOnMount(node: HTMLElement, enabled: boolean = true): void {
  if (enabled) queueMicrotask(() => node.focus());
}

/** A window keydown handler: Escape (when nothing else took it) goes back a screen. */
export function escapeTo(back: () => void): (e: KeyboardEvent) => void {
  return (e) => {
    if (e.key === 'Escape' && !e.defaultPrevented) {
      e.preventDefault();
      back();
    }
  };
}
