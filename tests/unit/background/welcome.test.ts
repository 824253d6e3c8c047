import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { openWelcomeOnInstall, WELCOME_PAGE } from '../../../lib/background/welcome';

describe('openWelcomeOnInstall', () => {
  beforeEach(() => fakeBrowser.reset());

  async function tabsAfter(reason: 'install' | 'update' | 'browser_update'): Promise<string[]> {
    openWelcomeOnInstall(fakeBrowser);
    await fakeBrowser.runtime.onInstalled.trigger({ reason, temporary: false });
    // fakeBrowser starts with one blank tab.
    return (await fakeBrowser.tabs.query({})).map((tab) => tab.url ?? '').filter(Boolean);
  }

  it('opens the welcome page when the extension is installed', async () => {
    expect(await tabsAfter('install')).toEqual([fakeBrowser.runtime.getURL(WELCOME_PAGE)]);
  });

  it('opens nothing on an update of the extension or of the browser', async () => {
    expect(await tabsAfter('update')).toEqual([]);
    expect(await tabsAfter('browser_update')).toEqual([]);
  });
});
