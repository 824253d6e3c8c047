import { browser } from 'wxt/browser';
import { OFFSCREEN_PORT } from '@/lib/background/offscreen-bridge';
import { runOffscreenTask, type OffscreenRequest } from '@/lib/background/offscreen-tasks';

const port = browser.runtime.connect({ name: OFFSCREEN_PORT });
port.onMessage.addListener(async (msg: unknown) => {
  const { id, request } = msg as { id: number; request: OffscreenRequest };
  try {
    port.postMessage({ id, response: await runOffscreenTask(request) });
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'INTERNAL';
    port.postMessage({ id, response: { ok: false, code, message: 'The task failed.' } });
  }
});
