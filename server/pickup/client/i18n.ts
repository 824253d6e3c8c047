// The pick-up page's strings: it runs without the extension, so it has its own small catalogue
// (../messages.en.json) instead of browser.i18n. Every string a person sees comes from there.
import messages from '../messages.en.json';

export type MessageKey = keyof typeof messages;

/** The message, with `{name}` placeholders filled in. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return messages[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
