// The pick-up page's stand-in for lib/i18n/fallback.ts (server/pickup/build.ts maps the import
// here). The shared crypto code words its errors with the extension's catalogue, which would make
// the page's script five times heavier; the page never shows those messages (it says what went
// wrong from its own catalogue, by error code), so the key stands in for the text.
export function fallbackMessage(key: string): string {
  return key;
}
