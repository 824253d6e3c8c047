// Starts the real background against fakeBrowser and a fresh fake IndexedDB database per test.
import type { WxtBrowser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing';
import { hkdfSha256 } from '../../../lib/crypto/kdf';
import { rateWithMeter } from '../../../lib/model/master-password';
import { ratePasswords } from '../../../lib/model/strength';
import { startBackground } from '../../../lib/background';
import type { CreateApi } from '../../../lib/background/sync-service';
import type { LinkServer } from '../../../lib/background/link-service';
import type { PeopleServer } from '../../../lib/background/people-types';
import { createVaultRepository } from '../../../lib/vault/repository';
import { VaultDb } from '../../../lib/vault/db';
import type { MessageType, RequestOf, ResponseOf, Envelope } from '../../../lib/messages/protocol';
import type { RuntimeSender } from '../../../lib/messages/router';

let dbCounter = 0;

/** A stand-in for Argon2id so session tests run in milliseconds; crypto tests cover the real one. */
export const fastDerive = async (password: Uint8Array, salt: Uint8Array) => hkdfSha256(password, salt, 'test-only kdf', 32);

export const POPUP: RuntimeSender = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/popup.html') };
export const CONTENT: RuntimeSender = { id: fakeBrowser.runtime.id, url: 'https://example.com/login', tab: { id: 7, url: 'https://example.com/login' }, frameId: 0 };

export function newDb(): VaultDb {
  return new VaultDb(`latchkey-test-${++dbCounter}-${Math.random().toString(36).slice(2)}`);
}

/** Listeners on the stand-in context menu's onClicked: those of the newest background only. */
const menuClickListeners: ((info: unknown, tab?: unknown) => unknown)[] = [];

/** fakeBrowser has no context menus or commands; the menus service only needs them to exist. */
function stubMenus(): void {
  menuClickListeners.length = 0;
  const event = () => ({ addListener() {}, removeListener() {}, hasListener: () => false });
  const b = fakeBrowser as unknown as Record<string, unknown>;
  try {
    (fakeBrowser.contextMenus.onClicked as { addListener(f: unknown): void }).addListener(() => undefined);
  } catch {
    b.contextMenus = { create: () => 0, update: async () => undefined, remove: async () => undefined, removeAll: async () => undefined, refresh: () => undefined, onClicked: { ...event(), addListener: (l: (info: unknown, tab?: unknown) => unknown) => void menuClickListeners.push(l) }, onShown: event(), onHidden: event() };
  }
  try {
    (fakeBrowser.commands.onCommand as { addListener(f: unknown): void }).addListener(() => undefined);
  } catch {
    b.commands = { getAll: async () => [], onCommand: event() };
  }
}

type IdleState = 'active' | 'idle' | 'locked';

/**
 * fakeBrowser has no idle API: a fresh stand-in per background (a restarted worker listens anew).
 * Returns what the system does: report a new idle state to every listener, and wait for them.
 */
function stubIdle(): (state: IdleState) => Promise<void> {
  const listeners: ((state: IdleState) => unknown)[] = [];
  (fakeBrowser as unknown as Record<string, unknown>).idle = {
    onStateChanged: { addListener: (l: (state: IdleState) => unknown) => void listeners.push(l), removeListener() {}, hasListener: () => false },
    queryState: async () => 'active',
    setDetectionInterval() {},
  };
  return async (state) => void (await Promise.all(listeners.map((l) => l(state))));
}

/** fakeBrowser has no windows API: a stand-in with one open window; `closeWindow` closes one. */
function stubWindows(): (id: number) => Promise<void> {
  const open = new Set([1]);
  const listeners: ((id: number) => unknown)[] = [];
  (fakeBrowser as unknown as Record<string, unknown>).windows = {
    getAll: async () => [...open].map((id) => ({ id })),
    onRemoved: { addListener: (l: (id: number) => unknown) => void listeners.push(l), removeListener() {}, hasListener: () => false },
    open: (id: number) => open.add(id),
  };
  return async (id) => {
    open.delete(id);
    await Promise.all(listeners.map((l) => l(id)));
  };
}

export function startTestBackground(db: VaultDb = newDb(), options: { createApi?: CreateApi; linkServer?: () => Promise<LinkServer | undefined>; peopleServer?: () => Promise<PeopleServer | undefined>; now?: () => number } = {}) {
  stubMenus();
  const systemIdle = stubIdle();
  const closeWindow = stubWindows();
  const cleared: string[] = [];
  const copied: string[] = [];
  const bg = startBackground(fakeBrowser as unknown as WxtBrowser, {
    repo: createVaultRepository(db),
    createApi: options.createApi,
    linkServer: options.linkServer,
    peopleServer: options.peopleServer,
    now: options.now,
    derive: fastDerive,
    rateStrength: rateWithMeter,
    offscreen: {
      derive: fastDerive,
      strength: rateWithMeter,
      rate: ratePasswords,
      clearClipboardLater: async (text) => {
        cleared.push(text);
      },
      copyThenClearLater: async (text) => {
        copied.push(text);
        cleared.push(text);
      },
    },
  });

  async function ask<T extends MessageType>(type: T, payload?: RequestOf<T>, sender: RuntimeSender = POPUP): Promise<Envelope<ResponseOf<T>>> {
    await bg.ready;
    const reply = bg.router.dispatch({ latchkey: 1, type, payload }, sender);
    if (!reply) throw new Error(`No handler answered ${type}`);
    return (await reply) as Envelope<ResponseOf<T>>;
  }

  async function must<T extends MessageType>(type: T, payload?: RequestOf<T>): Promise<ResponseOf<T>> {
    const r = await ask(type, payload);
    if (!r.ok) throw new Error(`${type} failed: ${r.code} ${r.message}`);
    return r.value;
  }

  /** The person clicks one of Latchkey's context-menu items. */
  const menuClick = (menuItemId: string, tab?: { id?: number; url?: string }) => {
    for (const l of menuClickListeners) l({ menuItemId, frameId: 0, pageUrl: tab?.url }, tab);
  };

  const openWindow = (id: number) => (fakeBrowser as unknown as { windows: { open(id: number): void } }).windows.open(id);

  return { ...bg, db, ask, must, cleared, copied, systemIdle, menuClick, closeWindow, openWindow };
}
