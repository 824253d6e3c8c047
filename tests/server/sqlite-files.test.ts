// The SQLite files hold every account's ciphertext and session hashes: owner-only (0600), whatever
// the umask and the folder's mode. The SQLite opener runs the same in both passes of the suite.
import { mkdtemp, rm, stat, chmod, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/index.ts';
import { migrateToLatest } from '../../server/db/migrations.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function openIn(prepare: (dir: string) => Promise<void> = async () => {}) {
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-modes-'));
  dirs.push(dir);
  await chmod(dir, 0o755);
  await prepare(dir);
  const previous = process.umask(0o022);
  try {
    const database = openDatabase({ dataDir: dir });
    await migrateToLatest(database.db);
    const modes: Record<string, number> = {};
    for (const name of ['latchkey.sqlite', 'latchkey.sqlite-wal', 'latchkey.sqlite-shm']) modes[name] = (await stat(join(dir, name))).mode & 0o777;
    await database.close();
    return modes;
  } finally {
    process.umask(previous);
  }
}

describe('SQLite files', () => {
  it('are created 0600 (database, -wal and -shm) under umask 022 in a 0755 folder', async () => {
    expect(await openIn()).toEqual({ 'latchkey.sqlite': 0o600, 'latchkey.sqlite-wal': 0o600, 'latchkey.sqlite-shm': 0o600 });
  });

  it('narrows a database file an older version left 0644', async () => {
    const modes = await openIn(async (dir) => {
      await writeFile(join(dir, 'latchkey.sqlite'), '', { mode: 0o644 });
      await chmod(join(dir, 'latchkey.sqlite'), 0o644);
    });
    expect(modes).toEqual({ 'latchkey.sqlite': 0o600, 'latchkey.sqlite-wal': 0o600, 'latchkey.sqlite-shm': 0o600 });
  });
});
