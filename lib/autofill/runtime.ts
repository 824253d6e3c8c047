// The content scripts' line to the background. It uses the browser's own promise-based runtime
// (Chrome MV3, Firefox) instead of the webextension polyfill, to keep the always-injected script small.
import type { Envelope, MessageType, RequestOf, ResponseOf } from '../messages/protocol';

export interface Runtime {
  id: string;
  sendMessage(m: unknown): Promise<unknown>;
  onMessage: { addListener(l: (m: unknown, sender: { id?: string; tab?: unknown }, sendResponse: (r: unknown) => void) => boolean | undefined): void };
}

export const runtime = (): Runtime =>
  ((globalThis as { browser?: { runtime: Runtime } }).browser ?? (globalThis as unknown as { chrome: { runtime: Runtime } }).chrome).runtime;

/** Like lib/messages/client.ts send: never throws, always an envelope. */
export async function send<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<Envelope<ResponseOf<T>>> {
  try {
    const reply = (await runtime().sendMessage({ latchkey: 1, type, payload })) as Envelope<ResponseOf<T>> | undefined;
    return reply && typeof reply === 'object' && 'ok' in reply ? reply : { ok: false, code: 'INTERNAL', message: 'No answer from Latchkey.' };
  } catch {
    return { ok: false, code: 'INTERNAL', message: 'Latchkey is not reachable.' };
  }
}

/** What the lazily injected core offers the sentinel (both live in the extension's isolated world). */
export interface Core {
  /** Watch the frame: claim fills on load (top frame) and offer to save submitted logins. */
  start(): void;
  /** A person asked to fill (popup, menu, key): claim and fill; resolves to 'filled' or why not. */
  trigger(intentId: string): Promise<string>;
  /** Put a generated password into the field that was right-clicked and its confirm field. */
  generated(password: string, target: Element | null): void;
}

export const CORE_KEY = '__latchkeyAutologinCore';
export const coreOf = (): Core | undefined => (globalThis as Record<string, unknown>)[CORE_KEY] as Core | undefined;

const SHADOWS_KEY = '__latchkeyShadowRoots';
/**
 * Whether scans of this frame look into shadow roots (one privileged call per element that may
 * host one, so only where it is worth it): set when a person focused a field inside a shadow root,
 * and by autologin-deep.js, which the background injects ahead of the core where a fill on load
 * or "Open & log in" may happen.
 */
export const looksIntoShadows = (): boolean => (globalThis as Record<string, unknown>)[SHADOWS_KEY] === true;
export const lookIntoShadows = (): void => void ((globalThis as Record<string, unknown>)[SHADOWS_KEY] = true);
