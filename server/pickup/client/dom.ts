// A few DOM helpers: the page builds its elements in script (no inline script or style; strict CSP).
type Attrs = Record<string, string | boolean | ((event: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string | null | false)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, '');
    else if (value !== false) el.setAttribute(name, value);
  }
  for (const child of children) if (child !== null && child !== false) el.append(child);
  return el;
}

const app = () => document.getElementById('app')!;

/** Replace the page's content; focus the first field given, else the heading (for screen readers). */
export function show(content: Node[], focus?: HTMLElement | null): void {
  app().replaceChildren(...content);
  const target = focus ?? app().querySelector<HTMLElement>('h1');
  if (target) {
    if (!target.hasAttribute('tabindex') && target.tagName === 'H1') target.setAttribute('tabindex', '-1');
    target.focus();
  }
}
