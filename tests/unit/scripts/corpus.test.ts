// `npm test` on a clone of the project alone: the forms corpus lives beside the repository.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

type Plan = { path: string; present: boolean; run: boolean; reason?: string };
// @ts-expect-error: a plain .mjs script without types
const { corpusPlan } = (await import('../../../scripts/corpus.mjs')) as { corpusPlan(w: { root: string; env: Record<string, string | undefined> }): Plan };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latchkey-corpus-'));
  await mkdir(join(dir, 'repo'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('corpusPlan', () => {
  it('runs the replay with the corpus beside the repository', async () => {
    await mkdir(join(dir, 'shared', 'forms-corpus'), { recursive: true });
    await writeFile(join(dir, 'shared', 'forms-corpus', 'MANIFEST.json'), '[]');
    expect(corpusPlan({ root: join(dir, 'repo'), env: {} })).toEqual({ path: join(dir, 'shared', 'forms-corpus'), present: true, run: true });
  });

  it('leaves the replay out without it, saying why, except under CI where it must fail', () => {
    const alone = corpusPlan({ root: join(dir, 'repo'), env: {} });
    expect(alone).toMatchObject({ present: false, run: false });
    expect(alone.reason).toContain(join(dir, 'shared', 'forms-corpus'));
    expect(corpusPlan({ root: join(dir, 'repo'), env: { CI: 'true' } })).toMatchObject({ present: false, run: true });
  });

  it('looks where LATCHKEY_CORPUS points', async () => {
    await writeFile(join(dir, 'MANIFEST.json'), '[]');
    expect(corpusPlan({ root: join(dir, 'repo'), env: { LATCHKEY_CORPUS: dir } })).toMatchObject({ path: dir, run: true });
  });
});
