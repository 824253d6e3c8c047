import { browser } from 'wxt/browser';
import { OFFSCREEN_PORT } from '@/lib/background/offscreen-bridge';
import { runOffscreenTask, type OffscreenRequest, type OffscreenResponse } from '@/lib/background/offscreen-tasks';
import { rateWithMeter } from '@/lib/model/master-password';
import { ratePasswords } from '@/lib/model/strength';

// The service worker may stop and start again while this document lives on: connect again each
// time the port drops, so the new worker gets a port without having to recreate the document.
function connect(): void {
  const port = browser.runtime.connect({ name: OFFSCREEN_PORT });
  port.onMessage.addListener(async (msg: unknown) => {
    const { id, request } = msg as { id: number; request: OffscreenRequest };
    try {
      const response: OffscreenResponse =
        request.task === 'strength'
          ? { ok: true, verdict: await rateWithMeter(request.password) }
          : request.task === 'rate'
            ? { ok: true, strengths: await ratePasswords(request.passwords) }
            : await runOffscreenTask(request);
      port.postMessage({ id, response });
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'INTERNAL';
      port.postMessage({ id, response: { ok: false, code, message: 'The task failed.' } });
    }
  });
  port.onDisconnect.addListener(() => setTimeout(connect, 50));
}

connect();
