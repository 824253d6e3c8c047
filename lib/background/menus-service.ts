// The right-click menu ("Fill login" with the page's entries as a submenu, "Generate password")
// and the keyboard command (Ctrl+Shift+L, "fill-login"). Both are user actions on the browser's
// own UI, so they may trigger a fill (SECURITY.md 1); the fill itself is the autofill service's.
import type { WxtBrowser as Browser } from 'wxt/browser';
import { toolbarButton } from './toolbar';
import { AppError } from '../errors';
import type { ContentCommand, FillOutcome } from '../messages/autofill-protocol';
import { DEFAULT_PASSWORD_OPTIONS, generatePassword } from '../generator';
import type { AutofillService } from './autofill-service';
import type { SessionService, VaultService } from './types';
import { t } from '../i18n';

export interface MenusDeps {
  browser: Browser;
  autofill: AutofillService;
  vault: VaultService;
  session: SessionService;
}

const FILL = 'latchkey-fill';
const GENERATE = 'latchkey-generate';
const ENTRY = 'latchkey-fill:';
const MAX_SUBMENU = 10;
const CHILDREN_KEY = 'latchkey.menus.children';

export function createMenusService(deps: MenusDeps) {
  const { browser, autofill, vault } = deps;
  const menus = browser.contextMenus;
  let children: string[] = [];
  let refreshing = Promise.resolve();

  const create = (props: Parameters<typeof menus.create>[0]) =>
    new Promise<void>((resolve) => {
      // An id that survived a service-worker restart is not an error.
      menus.create(props, () => {
        void browser.runtime.lastError;
        resolve();
      });
    });

  async function install() {
    await create({ id: FILL, title: t('menuFillLogin'), contexts: ['editable', 'page', 'frame'] });
    await create({ id: GENERATE, title: t('menuGeneratePassword'), contexts: ['editable'] });
  }

  // Menu items outlive a service-worker restart; their ids (entry ids, no secret) are kept where a
  // restart finds them. storage.session is only for the unlocked key, so storage.local.
  const store = (browser.storage as { local?: typeof browser.storage.local } | undefined)?.local;
  let stored = '';
  const remember = async (ids: string[]) => {
    if (JSON.stringify(ids) === stored) return;
    stored = JSON.stringify(ids);
    await store?.set({ [CHILDREN_KEY]: ids }).catch(() => {});
  };
  const recall = async (): Promise<string[]> => {
    const got = (await store?.get(CHILDREN_KEY).catch(() => undefined)) as Record<string, unknown> | undefined;
    return (got?.[CHILDREN_KEY] as string[] | undefined) ?? [];
  };

  /** Rebuild the submenu for the active tab's page: several matches become entries to pick from. */
  async function refresh() {
    const [tab] = await browser.tabs.query({ active: true, lastFocusedWindow: true }).catch(() => []);
    const matches = tab?.url ? await autofill.matches(tab.url).catch(() => []) : [];
    const old = stored ? children : [...new Set([...children, ...(await recall())])];
    for (const id of old) await menus.remove(id).catch(() => {});
    children = [];
    if (matches.length >= 2) {
      for (const e of matches.slice(0, MAX_SUBMENU)) {
        const id = ENTRY + e.id;
        await create({ id, parentId: FILL, title: e.username ? t('menuEntryWithUsername', e.title, e.username) : e.title, contexts: ['editable', 'page', 'frame'] });
        children.push(id);
      }
    }
    await remember(children);
  }
  const scheduleRefresh = () => {
    refreshing = refreshing.then(refresh, refresh);
  };

  /** Failures of a menu or key fill cannot be shown in the page (item 13): the toolbar button says it. */
  function tell(tabId: number, outcome: FillOutcome) {
    if (outcome.status === 'filled') return;
    const text = outcome.status === 'nothing' ? '' : '!';
    const button = toolbarButton(browser);
    void button.setBadgeText({ tabId, text }).catch(() => {});
    void button.setTitle({ tabId, title: t('toolbarFillProblem', outcome.message) }).catch(() => {});
  }

  async function fill(tabId: number, source: 'menu' | 'command', frameId?: number, entryId?: string) {
    try {
      tell(tabId, await autofill.trigger(tabId, { source, frameId, entryId }));
    } catch (e) {
      if (e instanceof AppError && e.code === 'LOCKED') {
        // The person asked; let them unlock in the popup (never a prompt in the page).
        await (toolbarButton(browser) as unknown as { openPopup?: () => Promise<void> }).openPopup?.().catch(() => {});
      }
      tell(tabId, { status: 'refused', message: e instanceof AppError ? e.message : t('errorFillFailed') });
    }
  }

  // Using the menu or the key is using Latchkey: it postpones the idle lock as the popup does.
  const activity = () => void deps.session.touch().catch(() => undefined);

  menus.onClicked.addListener((info, tab) => {
    activity();
    if (tab?.id === undefined) return;
    const id = String(info.menuItemId);
    if (id === FILL || id.startsWith(ENTRY)) {
      void fill(tab.id, 'menu', info.frameId, id.startsWith(ENTRY) ? id.slice(ENTRY.length) : undefined);
    } else if (id === GENERATE) {
      const password = generatePassword(DEFAULT_PASSWORD_OPTIONS);
      const command: ContentCommand = { latchkey: 1, type: 'autofill.generated', password };
      void browser.tabs
        .sendMessage(tab.id, command, { frameId: info.frameId ?? 0 })
        .then(() => {
          const origin = info.frameUrl ?? info.pageUrl;
          if (origin) return autofill.generated(tab.id!, new URL(origin).origin, password);
        })
        .catch(() => {});
    }
  });

  browser.commands.onCommand.addListener((command, tab) => {
    if (command !== 'fill-login') return;
    activity();
    const run = async () => {
      const tabId = tab?.id ?? (await browser.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id;
      if (tabId !== undefined) await fill(tabId, 'command');
    };
    void run();
  });

  browser.runtime.onInstalled.addListener(() => void install().then(scheduleRefresh));
  void install();
  browser.tabs.onActivated.addListener(scheduleRefresh);
  browser.tabs.onUpdated.addListener((_id, change, tab) => {
    if (tab.active && (change.url || change.status === 'complete')) scheduleRefresh();
  });
  vault.onChange(scheduleRefresh);
  deps.session.onUnlock(scheduleRefresh);
  deps.session.onLock(scheduleRefresh);

  return { refresh: () => (scheduleRefresh(), refreshing) };
}
