// The MV3 service worker stops when idle; the vault must work the same after it starts again.
import { expect, test } from './fixtures';
import { ExtensionPage, MASTER_PASSWORD } from './pages/seed';

test('after the service worker restarts, an unlocked vault stays unlocked and a locked one unlocks', async ({ context, extensionId }) => {
  const ext = await ExtensionPage.open(context, extensionId);
  await ext.createVault();
  const saved = await ext.addEntry({ title: 'Kept', password: 'kept-pw' });
  const cdp = await context.newCDPSession(ext.page);
  const restartWorker = async () => {
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
  };

  await restartWorker();
  expect((await ext.call('session.status')).vault).toBe('unlocked');
  expect((await ext.call('vault.get', { id: saved.id })).password).toBe('kept-pw');

  // Locked, then restarted: unlocking needs the offscreen document again (Argon2id runs there).
  await ext.call('session.lock');
  await restartWorker();
  await ext.call('session.unlock', { password: MASTER_PASSWORD });
  expect((await ext.call('vault.get', { id: saved.id })).password).toBe('kept-pw');
});
