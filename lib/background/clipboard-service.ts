// Clears a copied username or password from the clipboard after 30 seconds, if it is still there.
import { AppError } from '../errors';
import type { MessageRouter } from '../messages/router';
import type { OffscreenBridge } from './offscreen-bridge';
import { t } from '../i18n';

export function createClipboardService(deps: { router: MessageRouter; offscreen: Pick<OffscreenBridge, 'clearClipboardLater'> }): void {
  deps.router.on('clipboard.scheduleClear', async ({ text }) => {
    if (typeof text !== 'string' || text.length > 64 * 1024) throw new AppError('BAD_INPUT', t('errorClipboardNothing'));
    await deps.offscreen.clearClipboardLater(text);
  });
}
