// The background's "entries changed" broadcast (VAULT_CHANGED_EVENT), as open pages listen for it.
import { browser } from 'wxt/browser';
import { VAULT_CHANGED_EVENT, type VaultChange, type VaultChanged } from '../messages/protocol';

/** Whether a change names this entry (a change naming none may have touched any). */
export function touches(change: VaultChange, id: string): boolean {
  return change.ids === null || change.ids.includes(id);
}

/** Calls `listener` with each change to the vault's entries, here or synced; returns the stop. */
export function onVaultChanged(listener: (change: VaultChange) => void): () => void {
  const handler = (message: unknown) => {
    const m = message as Partial<VaultChanged> | undefined;
    if (m?.event !== VAULT_CHANGED_EVENT || typeof m.remote !== 'boolean') return;
    if (m.ids === null || (Array.isArray(m.ids) && m.ids.every((id) => typeof id === 'string'))) listener({ ids: m.ids, remote: m.remote });
  };
  browser.runtime.onMessage.addListener(handler);
  return () => browser.runtime.onMessage.removeListener(handler);
}
