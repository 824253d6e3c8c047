// Killing the browser right after a save was confirmed loses nothing, and a restart locks the vault.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { launchWithExtension, serviceWorkerOf } from './fixtures';
import { ExtensionPage, MASTER_PASSWORD } from './pages/seed';

function killBrowser(userDataDir: string): void {
  // SIGKILL: no shutdown, no flush beyond what IndexedDB already committed.
  execFileSync('pkill', ['-KILL', '-f', `user-data-dir=${userDataDir}`]);
}

async function open(userDataDir: string) {
  const launched = await launchWithExtension({ userDataDir });
  const id = new URL((await serviceWorkerOf(launched.context)).url()).host;
  return { ...launched, ext: await ExtensionPage.open(launched.context, id) };
}

test('every save confirmed before the browser was killed is there after restart', async () => {
  const userDataDir = mkdtempSync(join(tmpdir(), 'latchkey-kill-'));
  try {
    const first = await open(userDataDir);
    await first.ext.createVault();
    const confirmed: string[] = [];
    // A burst of saves; the kill lands right after the last confirmation.
    for (let i = 0; i < 20; i++) confirmed.push((await first.ext.addEntry({ title: `Burst ${i}`, password: `pw-${i}` })).id);
    killBrowser(userDataDir);
    await first.context.close().catch(() => undefined);

    const second = await open(userDataDir);
    try {
      expect((await second.ext.call('session.status')).vault).toBe('locked');
      await second.ext.call('session.unlock', { password: MASTER_PASSWORD });
      for (const [i, id] of confirmed.entries()) expect((await second.ext.call('vault.get', { id })).password).toBe(`pw-${i}`);
      expect((await second.ext.call('vault.list')).problems).toEqual([]);
    } finally {
      await second.context.close();
    }
  } finally {
    rmSync(userDataDir, { recursive: true, force: true });
  }
});
