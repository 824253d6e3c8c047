// The keyboard of the WAI-ARIA tabs pattern, for every tab list of the extension's pages.

/**
 * The tab `key` moves to from `current`: Left and Right to the previous and next one (wrapping
 * around), Home and End to the first and last; undefined for any other key, which the tab leaves alone.
 */
export function tabAfterKey<T>(key: string, tabs: readonly T[], current: T): T | undefined {
  const at = Math.max(0, tabs.indexOf(current));
  switch (key) {
    case 'ArrowLeft':
      return tabs[(at - 1 + tabs.length) % tabs.length];
    case 'ArrowRight':
      return tabs[(at + 1) % tabs.length];
    case 'Home':
      return tabs[0];
    case 'End':
      return tabs[tabs.length - 1];
    default:
      return undefined;
  }
}
