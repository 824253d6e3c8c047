// The English catalogue, for code that runs where the browser's i18n API is missing (unit tests in
// Node). Extension pages and the background never reach it: getMessage answers there.
import catalogue from '../../public/_locales/en/messages.json' with { type: 'json' };

const messages = catalogue as Record<string, { message: string }>;

/** Chrome's substitution rules: `$1`…`$9` are substitutions, `$$` is a dollar sign. */
export function fillMessage(message: string, subs: readonly string[]): string {
  return message.replace(/\$(\$|[1-9])/g, (_, what: string) => (what === '$' ? '$' : (subs[Number(what) - 1] ?? '')));
}

export function fallbackMessage(key: string, subs: readonly string[]): string {
  const entry = messages[key];
  return entry ? fillMessage(entry.message, subs) : '';
}
