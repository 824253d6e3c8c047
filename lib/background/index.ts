// Composes the background from its services. Each service registers its own message handlers.
import type { WxtBrowser as Browser } from 'wxt/browser';
import { classifySender, createMessageRouter, type RuntimeSender } from '../messages/router';
import type { RateStrength } from '../model/master-password';
import { createVaultRepository, type VaultRepository } from '../vault/repository';
import { createClipboardService } from './clipboard-service';
import { createOffscreenBridge, type OffscreenBridge } from './offscreen-bridge';
import { createSessionService, type DeriveKey } from './session-service';
import { createVaultService } from './vault-service';
import { createAccountService } from './account-service';
import { createAccountEmailService } from './account-email-service';
import { createSearchService } from './search-service';
import { createSyncService, type CreateApi } from './sync-service';
import { createAutofillService } from './autofill-service';
import { createMenusService } from './menus-service';
import { createImportService } from './import-service';
import { createExportService } from './export-service';
import { createTotpService } from './totp-service';
import { createHealthService } from './health-service';
import { createTrashService } from './trash-service';
import { linkServerOf } from './link-api';
import { createLinkMenuService } from './link-menu-service';
import { createLinkService, type LinkServer } from './link-service';
import { toolbarButton } from './toolbar';
import { LINKS_CHANGED_EVENT } from '../messages/link-protocol';
import { PEOPLE_CHANGED_EVENT } from '../messages/people-protocol';
import { createBadge } from './badge';
import { peopleServerOf } from './people-api';
import { createPeopleService } from './people-service';
import type { PeopleServer } from './people-types';
import { createMessageService } from './message-service';
import { createSystemLock } from './system-lock';
import { SESSION_CHANGED_EVENT, VAULT_CHANGED_EVENT, type SessionChanged } from '../messages/protocol';
import { SHARES_CHANGED_EVENT } from '../messages/share-protocol';
import { createShareKeyring } from './share-keyring';
import { createShareSync } from './share-sync';
import { createShareService } from './share-service';
import { sharedEntryCounts } from './share-views';
import type { VaultShares } from './vault-shares';
import { myIdentity, withPrivateKeys } from './identity-keys';
import { connectedClient } from './connected-client';
import type { PinnedKeys } from '../sharing/pins';
import type { Me } from '../sharing/share-verify';
import type { EntryRecord } from '../vault/db';

export interface BackgroundOptions {
  repo?: VaultRepository;
  offscreen?: OffscreenBridge;
  derive?: DeriveKey;
  createApi?: CreateApi;
  /** The strength meter for new master passwords (default: the offscreen document's). */
  rateStrength?: RateStrength;
  /** The server link shares use (tests: a fake that records calls). */
  linkServer?: () => Promise<LinkServer | undefined>;
  /** The server people and messages use (tests: a fake). */
  peopleServer?: () => Promise<PeopleServer | undefined>;
  /** The session's clock, for the idle lock and the trash's expiry (tests: a clock they move). */
  now?: () => number;
}

export function startBackground(browser: Browser, options: BackgroundOptions = {}) {
  // URL().origin is 'null' for chrome-extension: URLs, so take the prefix itself.
  const extensionOrigin = browser.runtime.getURL('/').replace(/\/$/, '');
  const router = createMessageRouter((sender) => classifySender(sender, browser.runtime.id, extensionOrigin));
  const repo = options.repo ?? createVaultRepository();
  const offscreen = options.offscreen ?? createOffscreenBridge(browser);
  const session = createSessionService({ browser, router, repo, derive: options.derive ?? offscreen.derive, rateStrength: options.rateStrength ?? offscreen.strength, now: options.now });
  const keyring = createShareKeyring({ repo, session });
  // The share service needs sync, which needs the vault: the vault asks it through this late binding.
  let shareHooks: VaultShares | undefined;
  const vault = createVaultService({
    router,
    repo,
    session,
    keys: keyring,
    shares: {
      mark: (container, id) => shareHooks?.mark(container, id),
      placeNew: (folder) => shareHooks?.placeNew(folder),
      requireWrite: (container, id) => shareHooks?.requireWrite(container, id),
    },
  });
  const withMe = async <T>(use: (me: Me) => Promise<T> | T): Promise<T> => {
    const me = await myIdentity(repo, session);
    return withPrivateKeys(me, (identity) => use({ userId: me.account.userId, identity }));
  };
  let pinned: (userId: string) => Promise<PinnedKeys | undefined> = async () => undefined;
  const pinsFor = async (ids: string[]) => {
    const out = new Map<string, PinnedKeys>();
    for (const id of ids) {
      const p = await pinned(id).catch(() => undefined);
      if (p) out.set(id, p);
    }
    return out;
  };
  const shareSync = createShareSync({ keyring, repo, withMe, pinsFor, now: options.now ?? (() => Date.now()), changed: () => sharesChanged() });
  createClipboardService({ router, offscreen });
  createImportService({ router, vault, session });
  createTotpService({ router, vault });
  createHealthService({ router, vault, session, rate: (passwords) => offscreen.rate(passwords) });
  createExportService({ router, vault, session, derive: options.derive ?? offscreen.derive });
  const sync = createSyncService({ browser, repo, session, vault, createApi: options.createApi, shares: shareSync });
  createSearchService({ router, vault, session, problems: () => sync.problems() });
  createAccountService({ router, repo, session, sync });
  createAccountEmailService({ router, repo, session, sync });
  const autofill = createAutofillService({ router, vault, session, browser, copyCode: (code) => offscreen.copyThenClearLater(code) });
  createMenusService({ browser, autofill, vault, session });
  const badge = createBadge((text) => void Promise.resolve(toolbarButton(browser)?.setBadgeText({ text })).catch(() => undefined));
  const broadcast = (event: string, detail: object = {}) => () => void Promise.resolve(browser.runtime.sendMessage({ ...detail, event })).catch(() => undefined);
  const sharesChanged = broadcast(SHARES_CHANGED_EVENT);
  // Open popups and options pages switch to Unlock (or back) at once, whoever locked the vault.
  session.onLock(broadcast(SESSION_CHANGED_EVENT, { vault: 'locked' } satisfies Omit<SessionChanged, 'event'>));
  session.onUnlock(broadcast(SESSION_CHANGED_EVENT, { vault: 'unlocked' } satisfies Omit<SessionChanged, 'event'>));
  // Open lists, entries and edit forms follow every change, synced ones from other devices included.
  vault.onChange((change) => broadcast(VAULT_CHANGED_EVENT, change)());
  const links = createLinkService({
    router,
    session,
    vault,
    links: repo.links,
    server: options.linkServer ?? linkServerOf(repo, sync),
    origin: options.linkServer ? undefined : async () => (await repo.sync())?.serverUrl,
    badge: (text) => badge('links', Number(text) || 0),
    changed: broadcast(LINKS_CHANGED_EVENT),
  });
  sync.onLinksChanged(() => void links.linksChanged());
  const trash = createTrashService({ router, vault, session, browser, endLinks: (ids) => links.endLinksOf(ids), now: options.now });
  const peopleServer = options.peopleServer ?? peopleServerOf(repo, sync);
  const people = createPeopleService({
    router,
    session,
    repo,
    server: peopleServer,
    changed: broadcast(PEOPLE_CHANGED_EVENT),
    sharedEntries: async (me) => sharedEntryCounts(keyring.rows(), (await repo.allEntries()) as EntryRecord[], me),
  });
  pinned = (userId) => people.pinned(userId);
  shareHooks = createShareService({
    router,
    session,
    repo,
    keyring,
    shareSync,
    vault,
    client: async () => (await connectedClient(repo, sync))?.client,
    syncNow: () => sync.syncNow(),
    withMe,
    pinsFor,
    now: options.now,
    changed: () => sharesChanged(),
  });
  const messages = createMessageService({ router, session, vault, repo, people, server: peopleServer, badge: (n) => badge('messages', n), changed: broadcast(PEOPLE_CHANGED_EVENT) });
  sync.onPeopleChanged(() => {
    people.peopleChanged();
    void messages.refreshUnread();
  });
  createLinkMenuService({ browser });

  const ready = session.restore().catch(() => false);
  createSystemLock({ browser, router, repo, session, ready });

  browser.runtime.onMessage.addListener((message: unknown, sender: RuntimeSender) => {
    const reply = (async () => {
      await ready;
      const info = classifySender(sender, browser.runtime.id, extensionOrigin);
      // Using the popup or options page counts as activity for the idle lock.
      if (info && (info.kind === 'popup' || info.kind === 'options')) await session.touch();
      return router.dispatch(message, sender);
    })();
    return reply;
  });

  return { router, session, vault, repo, sync, trash, ready };
}
