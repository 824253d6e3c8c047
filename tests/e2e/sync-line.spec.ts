// "Where am I?": the popup's sync line says offline when the server cannot be reached, and live
// again once it is back, without a sync being asked for (the live stream tells the background).
import { expect, test } from './fixtures';
import { PopupPage } from './pages/popup';
import { ExtensionPage, MASTER_PASSWORD } from './pages/seed';
import { startServer } from './server';

test('the sync line goes offline when the server stops, and live again when it restarts', async ({ context, extensionId }) => {
  test.setTimeout(180_000);
  const server = await startServer();
  try {
    const ext = await ExtensionPage.open(context, extensionId);
    await ext.createVault();
    await ext.call('account.register', { serverUrl: server.url, username: 'dana', email: 'dana@example.com', password: MASTER_PASSWORD });
    const popup = await PopupPage.open(context, extensionId);
    const line = popup.page.getByTestId('sync-line');
    const host = new URL(server.url).host.replace(/\./g, '\\.');
    // The popup reads the status as it opens: open it again until the background's answer changes.
    const expectLine = async (state: RegExp) => {
      await expect(async () => {
        await popup.goto();
        await expect(line).toHaveText(state, { timeout: 2_000 });
      }).toPass({ timeout: 30_000 });
    };

    await expectLine(new RegExp(`dana on ${host} · live · last sync \\d`));

    await server.stop();
    await expectLine(new RegExp(`dana on ${host} · offline · last sync \\d`));
    expect((await ext.call('account.status')).live).toBe(false);

    await server.restart(); // same port, same data
    await expectLine(new RegExp(`dana on ${host} · live · last sync \\d`));
    expect((await ext.call('account.status')).offline).toBe(false);
  } finally {
    await server.stop();
  }
});
