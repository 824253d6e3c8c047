import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { copyToClipboard, currentTab } from '../../../lib/ui/browser-bits';

describe('copyToClipboard', () => {
  const received: unknown[] = [];
  beforeEach(() => {
    fakeBrowser.reset();
    received.length = 0;
    fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
      received.push(message);
      return Promise.resolve({ ok: true, value: undefined });
    });
  });

  it('writes the text, then asks the background to clear it later', async () => {
    const written: string[] = [];
    const out = await copyToClipboard('s3cret', async (t) => void written.push(t));
    expect(out).toEqual({ ok: true, cleared: true });
    expect(written).toEqual(['s3cret']);
    expect(received).toEqual([{ latchkey: 1, type: 'clipboard.scheduleClear', payload: { text: 's3cret' } }]);
  });

  it('says so when the clipboard refuses, and schedules nothing', async () => {
    const out = await copyToClipboard('s3cret', async () => {
      throw new DOMException('Document is not focused', 'NotAllowedError');
    });
    expect(out.ok).toBe(false);
    expect(received).toEqual([]);
  });
});

describe('currentTab', () => {
  beforeEach(() => fakeBrowser.reset());
  // fakeBrowser does not track which tab is active in which window; answer the query directly.
  const onTab = (url: string) => vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([{ id: 7, url } as Awaited<ReturnType<typeof fakeBrowser.tabs.query>>[number]]);

  it('reads the active tab of the current window', async () => {
    const query = onTab('https://login.example.com/');
    expect(await currentTab()).toEqual({ id: 7, url: 'https://login.example.com/' });
    expect(query).toHaveBeenCalledWith({ active: true, currentWindow: true });
  });

  it('answers nothing when the tab cannot be read', async () => {
    vi.spyOn(fakeBrowser.tabs, 'query').mockRejectedValue(new Error('no tabs here'));
    expect(await currentTab()).toEqual({});
  });
});
