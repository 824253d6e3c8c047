// "Where am I?": the popup's sync line, and the options page's "Last sync", say offline when the
// server cannot be reached, and live again once it is back, without a sync being asked for (the
// live stream tells the background).
import { expect, test } from './fixtures';
import { OptionsPage } from './pages/options';
import { PopupPage } from './pages/popup';
import { ExtensionPage, MASTER_PASSWORD } from './pages/seed';
import { startServer } from './server';

test('the sync line and the options page go offline when the server stops, and live again when it restarts', async ({ context, extensionId }) => {
  test.setTimeout(180_000);
  const server = await startServer();
  try {
    const ext = await ExtensionPage.open(context, extensionId);
    await ext.createVault();
    await ext.call('account.register', { serverUrl: server.url, username: 'dana', email: 'dana@example.com', password: MASTER_PASSWORD });
    const popup = await PopupPage.open(context, extensionId);
    const line = popup.page.getByTestId('sync-line');
    const host = new URL(server.url).host.replace(/\./g, '\\.');
    const options = await OptionsPage.open(context, extensionId);
    const lastSync = options.page.getByTestId('last-sync');
    // The popup reads the status as it opens: open it again until the background's answer changes.
    const expectLine = async (state: RegExp) => {
      await expect(async () => {
        await popup.goto();
        await expect(line).toHaveText(state, { timeout: 2_000 });
      }).toPass({ timeout: 30_000 });
    };
    // The options page's line ends the same way once reloaded (it reads the status as it opens).
    const expectOptions = async (state: 'live' | 'offline') => {
      await expect(async () => {
        await options.page.reload();
        await expect(lastSync).toHaveText(new RegExp(`\\d.* · ${state}$`), { timeout: 2_000 });
      }).toPass({ timeout: 30_000 });
    };

    await expectLine(new RegExp(`dana on ${host} · live · last sync \\d`));
    await expectOptions('live');

    await server.stop();
    await expectLine(new RegExp(`dana on ${host} · offline · last sync \\d`));
    expect((await ext.call('account.status')).live).toBe(false);
    await expectOptions('offline');

    await server.restart(); // same port, same data
    await expectLine(new RegExp(`dana on ${host} · live · last sync \\d`));
    expect((await ext.call('account.status')).offline).toBe(false);
    await expectOptions('live');
  } finally {
    await server.stop();
  }
});
