// The control a person would click to send a form, and the words that name such controls.
import { attr, contains, isVisible } from './dom';
import { tokens, LOGIN_WORDS } from './signals';

export const buttonText = (b: Element): string =>
  `${attr(b, 'id')} ${attr(b, 'name')} ${attr(b, 'aria-label')} ${attr(b, 'value')} ${(b.textContent ?? '').slice(0, 80)}`;

const SUBMIT_WORDS = new RegExp(`${LOGIN_WORDS.source}|submit|continue|next|weiter|suivant|siguiente|continuar|avanti|go\\b|ok\\b|enter|send|次へ|下一步|다음|далее`);

/** The control a person would click to send the form: a submit button, else a login-ish button after the fields. */
export function findSubmit(container: Element, form: HTMLFormElement | null, after: Element, buttons: HTMLElement[]): HTMLElement | undefined {
  const scope: Element = form ?? container;
  const controls: HTMLElement[] = [];
  const inputs = scope.querySelectorAll('input[type=submit],input[type=image],input[type=button],button');
  for (let i = 0; i < inputs.length && i < 50; i++) controls.push(inputs[i] as HTMLElement);
  for (const b of buttons) if (!controls.includes(b) && contains(scope, b)) controls.push(b);
  const usable = controls.filter((c) => isVisible(c));
  const isSubmit = (c: HTMLElement) => (c.tagName === 'BUTTON' && ((c as HTMLButtonElement).type === 'submit')) || (c.tagName === 'INPUT' && /submit|image/.test((c as HTMLInputElement).type));
  const follows = (c: HTMLElement) => !!(after.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING) || !after.getRootNode().contains(c);
  const words = (c: HTMLElement) => SUBMIT_WORDS.test(tokens(buttonText(c)));
  return (
    usable.find((c) => isSubmit(c) && follows(c) && form) ??
    usable.find((c) => follows(c) && words(c)) ??
    usable.find((c) => isSubmit(c) && follows(c)) ??
    usable.find((c) => words(c))
  );
}
