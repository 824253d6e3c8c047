// The English catalogue for code that runs where the browser's i18n API is missing: unit tests and
// the server, in Node. Node's entry points install it (lib/i18n/node-catalogue.ts); browser bundles
// never import the catalogue (the extension has getMessage, and the pick-up page and the API client
// must stay small), so there `fallbackMessage` answers '' until something installs one.

type Catalogue = Record<string, { message: string }>;

let messages: Catalogue = {};

/** Makes `catalogue` the answer where the browser's i18n API is missing. */
export function installFallbackCatalogue(catalogue: Catalogue): void {
  messages = catalogue;
}

/** Chrome's substitution rules: `$1`…`$9` are substitutions, `$$` is a dollar sign. */
export function fillMessage(message: string, subs: readonly string[]): string {
  return message.replace(/\$(\$|[1-9])/g, (_, what: string) => (what === '$' ? '$' : (subs[Number(what) - 1] ?? '')));
}

export function fallbackMessage(key: string, subs: readonly string[]): string {
  const entry = messages[key];
  return entry ? fillMessage(entry.message, subs) : '';
}
