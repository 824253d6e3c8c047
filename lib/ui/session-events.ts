// The background's "the vault locked / unlocked" broadcast (SESSION_CHANGED_EVENT), as the popup and
// the options page listen for it.
import { browser } from 'wxt/browser';
import { SESSION_CHANGED_EVENT, type SessionChanged } from '../messages/protocol';

/** Calls `listener` with the new state each time the vault locks or unlocks; returns the stop. */
export function onSessionChanged(listener: (vault: SessionChanged['vault']) => void): () => void {
  const handler = (message: unknown) => {
    const m = message as Partial<SessionChanged> | undefined;
    if (m?.event === SESSION_CHANGED_EVENT && (m.vault === 'locked' || m.vault === 'unlocked')) listener(m.vault);
  };
  browser.runtime.onMessage.addListener(handler);
  return () => browser.runtime.onMessage.removeListener(handler);
}
