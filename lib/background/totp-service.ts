// One-time codes for the popup: the current code of an entry's stored secret (lib/totp, otpauth).
import type { MessageRouter } from '../messages/router';
import { totpCode } from '../totp';
import type { VaultService } from './types';

export function createTotpService(deps: { router: MessageRouter; vault: VaultService; now?: () => number }) {
  const now = deps.now ?? (() => Date.now());
  deps.router.on('totp.code', async ({ entryId }) => {
    const entry = await deps.vault.get(entryId);
    if (!entry.totp) return null;
    const { code, remainingMs } = totpCode(entry.totp, now());
    return { code, remainingMs };
  });
}
