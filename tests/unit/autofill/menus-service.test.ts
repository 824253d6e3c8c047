// The menus service against a small recording stand-in for the browser (fakeBrowser has no
// context menus or commands); events are fired the way the browser fires them.
import { describe, expect, it, vi } from 'vitest';
import type { WxtBrowser } from 'wxt/browser';
import { createMenusService } from '../../../lib/background/menus-service';
import type { AutofillService } from '../../../lib/background/autofill-service';
import type { SessionService, VaultService } from '../../../lib/background/types';
import type { EntrySummary } from '../../../lib/model/entry';
import { AppError } from '../../../lib/errors';

type Listener = (...args: never[]) => unknown;
const event = () => {
  const listeners: Listener[] = [];
  return { addListener: (l: Listener) => void listeners.push(l), fire: (...args: unknown[]) => listeners.map((l) => (l as (...a: unknown[]) => unknown)(...args)) };
};

function setup(matches: Partial<EntrySummary>[] = []) {
  const items = new Map<string, { parentId?: string; title: string }>();
  const sent: { tabId: number; message: unknown; options: unknown }[] = [];
  const badges: Record<number, string> = {};
  const onClicked = event();
  const onCommand = event();
  const browser = {
    runtime: { lastError: undefined, onInstalled: event() },
    contextMenus: {
      create: (p: { id: string; parentId?: string; title: string }, done?: () => void) => {
        items.set(p.id, { parentId: p.parentId, title: p.title });
        done?.();
      },
      remove: async (id: string) => void items.delete(id),
      onClicked,
    },
    commands: { onCommand },
    tabs: {
      query: async () => [{ id: 3, url: 'https://a.example/login', active: true }],
      sendMessage: async (tabId: number, message: unknown, options: unknown) => void sent.push({ tabId, message, options }),
      onActivated: event(),
      onUpdated: event(),
    },
    action: {
      setBadgeText: async ({ tabId, text }: { tabId: number; text: string }) => void (badges[tabId] = text),
      setTitle: async () => undefined,
      openPopup: vi.fn(async () => undefined),
    },
  };
  const autofill = {
    trigger: vi.fn(async () => ({ status: 'filled' as const, message: 'Filled.' })),
    matches: vi.fn(async () => matches as EntrySummary[]),
    generated: vi.fn(async () => undefined),
  };
  const vault = { onChange: () => () => undefined } as unknown as VaultService;
  const touch = vi.fn(async () => undefined);
  const session = { onLock: () => () => undefined, onUnlock: () => () => undefined, touch } as unknown as SessionService;
  const menus = createMenusService({ browser: browser as unknown as WxtBrowser, autofill: autofill as unknown as AutofillService, vault, session });
  return { menus, items, sent, badges, autofill, browser, onClicked, onCommand, touch };
}

const tab = { id: 3, url: 'https://a.example/login' };

describe('context menu', () => {
  it('has "Fill login" and "Generate password"', async () => {
    const { items } = setup();
    await vi.waitFor(() => expect(items.get('latchkey-generate')).toMatchObject({ title: 'Generate password' }));
    expect(items.get('latchkey-fill')).toMatchObject({ title: 'Fill login' });
  });

  it("lists the page's entries under \"Fill login\" when there are several, and only then", async () => {
    const one = setup([{ id: 'e1', title: 'Work', username: 'me' }]);
    await one.menus.refresh();
    expect([...one.items.keys()].filter((k) => k.startsWith('latchkey-fill:'))).toEqual([]);

    const two = setup([
      { id: 'e1', title: 'Work', username: 'me' },
      { id: 'e2', title: 'Home', username: '' },
    ]);
    await two.menus.refresh();
    expect(two.items.get('latchkey-fill:e1')).toEqual({ parentId: 'latchkey-fill', title: 'Work (me)' });
    expect(two.items.get('latchkey-fill:e2')).toEqual({ parentId: 'latchkey-fill', title: 'Home' });
  });

  it('fills the clicked frame, with the chosen entry', async () => {
    const { onClicked, autofill } = setup();
    onClicked.fire({ menuItemId: 'latchkey-fill:e2', frameId: 4 }, tab);
    onClicked.fire({ menuItemId: 'latchkey-fill', frameId: 0 }, tab);
    await vi.waitFor(() => expect(autofill.trigger).toHaveBeenCalledTimes(2));
    expect(autofill.trigger).toHaveBeenNthCalledWith(1, 3, { source: 'menu', frameId: 4, entryId: 'e2' });
    expect(autofill.trigger).toHaveBeenNthCalledWith(2, 3, { source: 'menu', frameId: 0, entryId: undefined });
  });

  it('"Generate password" sends a fresh password to the clicked frame and keeps it as a save offer', async () => {
    const { onClicked, sent, autofill } = setup();
    onClicked.fire({ menuItemId: 'latchkey-generate', frameId: 2, frameUrl: 'https://a.example/frame', pageUrl: 'https://a.example/' }, tab);
    await vi.waitFor(() => expect(autofill.generated).toHaveBeenCalled());
    const message = sent[0]!.message as { type: string; password: string };
    expect(message.type).toBe('autofill.generated');
    expect(message.password.length).toBeGreaterThanOrEqual(16);
    expect(sent[0]!.options).toEqual({ frameId: 2 });
    expect(autofill.generated).toHaveBeenCalledWith(3, 'https://a.example', message.password);
  });

  it('says on the toolbar button why nothing was filled', async () => {
    const { onClicked, autofill, badges } = setup();
    autofill.trigger.mockResolvedValueOnce({ status: 'refused', message: 'No entry matches https://a.example.' } as never);
    onClicked.fire({ menuItemId: 'latchkey-fill', frameId: 0 }, tab);
    await vi.waitFor(() => expect(badges[3]).toBe('!'));
  });
});

describe('keyboard command', () => {
  it('"fill-login" fills the focused frame of the tab', async () => {
    const { onCommand, autofill } = setup();
    onCommand.fire('fill-login', tab);
    onCommand.fire('something-else', tab);
    await vi.waitFor(() => expect(autofill.trigger).toHaveBeenCalledTimes(1));
    expect(autofill.trigger).toHaveBeenCalledWith(3, { source: 'command', frameId: undefined, entryId: undefined });
  });

  it('opens the popup to unlock when locked (never a prompt in the page)', async () => {
    const { onCommand, autofill, browser } = setup();
    autofill.trigger.mockRejectedValueOnce(new AppError('LOCKED', 'Unlock Latchkey to fill this page.'));
    onCommand.fire('fill-login', tab);
    await vi.waitFor(() => expect(browser.action.openPopup).toHaveBeenCalled());
  });
});

describe('activity for the idle lock', () => {
  it('a context-menu click or the fill key counts as using Latchkey; other commands do not', async () => {
    const { onClicked, onCommand, touch } = setup();
    onCommand.fire('something-else', tab);
    expect(touch).not.toHaveBeenCalled();
    onClicked.fire({ menuItemId: 'latchkey-fill', frameId: 0 }, tab);
    expect(touch).toHaveBeenCalledTimes(1);
    onCommand.fire('fill-login', tab);
    expect(touch).toHaveBeenCalledTimes(2);
    onClicked.fire({ menuItemId: 'latchkey-generate', frameId: 0, pageUrl: 'https://a.example/' }, tab);
    expect(touch).toHaveBeenCalledTimes(3);
  });
});
