// Where the forms corpus is, and whether `npm test` may go on without it. The corpus lives beside
// the repository (../shared/forms-corpus, or LATCHKEY_CORPUS), not in it: a fresh clone of the
// project alone has none. Under CI=true a missing corpus is a failure; elsewhere the replay is left
// out and every summary says so.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The spec file's test title, for Playwright's --grep-invert. */
export const CORPUS_TEST = 'forms corpus:';

/**
 * @param {{ root: string, env: Record<string, string | undefined> }} where
 * @returns {{ path: string, present: boolean, run: boolean, reason?: string }}
 */
export function corpusPlan({ root, env }) {
  const path = resolve(env.LATCHKEY_CORPUS ?? join(root, '..', 'shared', 'forms-corpus'));
  const present = existsSync(join(path, 'MANIFEST.json'));
  if (present) return { path, present, run: true };
  const ci = env.CI === 'true' || env.CI === '1';
  const reason = `no forms corpus at ${path} (it is kept beside the repository, in ../shared/forms-corpus, or where LATCHKEY_CORPUS points)`;
  // In CI the replay runs anyway and fails on the missing corpus: CI must have it.
  return { path, present, run: ci, reason };
}
