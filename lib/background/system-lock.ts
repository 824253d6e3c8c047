// Locks the vault when the computer locks (chrome.idle's 'locked' state; most systems lock on sleep
// too), unless the person turned it off in the settings (on by default); and when the browser's
// last window closes. A browser that quits loses storage.session, and the key with it; one that
// keeps running without windows (Chrome's "continue running background apps", macOS) would not.
import type { WxtBrowser as Browser } from 'wxt/browser';
import { AppError } from '../errors';
import { t } from '../i18n';
import type { MessageRouter } from '../messages/router';
import type { VaultRepository } from '../vault/repository';
import type { SessionService } from './types';

type IdleState = 'active' | 'idle' | 'locked';

export interface SystemLockDeps {
  browser: Browser;
  router: MessageRouter;
  repo: VaultRepository;
  session: SessionService;
  /** The session restored after a worker restart: an idle event may be what woke the worker. */
  ready: Promise<unknown>;
}

export function createSystemLock(deps: SystemLockDeps) {
  const { router, repo, session } = deps;

  async function stateChanged(state: IdleState): Promise<void> {
    if (state !== 'locked') return;
    await deps.ready;
    if (session.state() !== 'unlocked') return;
    const { lockOnSystemLock } = await repo.settings();
    if (lockOnSystemLock !== false) await session.lock();
  }

  router.on('session.setLockOnSystemLock', async ({ enabled }) => {
    if (typeof enabled !== 'boolean') throw new AppError('BAD_INPUT', t('errorSystemLockSetting'));
    await repo.putSettings({ lockOnSystemLock: enabled });
  });

  // Registered as the worker starts, so the event wakes a stopped worker. Firefox reports no
  // 'locked' state on some systems; there the idle-time lock still applies.
  const idle = (deps.browser as { idle?: { onStateChanged?: { addListener(l: (s: IdleState) => void): void } } }).idle;
  idle?.onStateChanged?.addListener((state) => stateChanged(state).catch(() => undefined));

  /** The last window closed: the browser is closed for the person, even if its process lives on. */
  async function windowClosed(): Promise<void> {
    await deps.ready;
    if (session.state() !== 'unlocked') return;
    const left = await deps.browser.windows.getAll();
    if (left.length === 0) await session.lock();
  }
  const windows = (deps.browser as { windows?: { onRemoved?: { addListener(l: () => unknown): void } } }).windows;
  windows?.onRemoved?.addListener(() => windowClosed().catch(() => undefined));

  return { stateChanged, windowClosed };
}
