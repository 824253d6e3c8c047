// Locks the vault when the computer locks (chrome.idle's 'locked' state; most systems lock on sleep
// too), unless the person turned it off in the settings. On by default.
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

  return { stateChanged };
}
