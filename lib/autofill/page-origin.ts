// Pure, and light enough for the popup (no Public Suffix List).

/**
 * Whether a tab's URL tells the site of the document it shows, given that document's own origin
 * (asked of the document): not for an opaque origin ('null': a page served sandboxed, whose address
 * bar still names the site), nor when the origin is unknown or another (SECURITY.md 4).
 */
export function pageShowsItsOrigin(origin: string | undefined, pageUrl: string | undefined): boolean {
  if (!origin || origin === 'null' || !pageUrl) return false;
  try {
    return new URL(pageUrl).origin === origin;
  } catch {
    return false;
  }
}
