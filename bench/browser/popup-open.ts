// Opening the popup as a person does (a new tab at popup.html) and reading what the probe
// (popup-probe.ts) recorded: the popup bench files share these.
import type { Page } from '@playwright/test';
import type { ExtensionBrowser } from '../lib/browser';
import type { Summary } from '../lib/stats';
import { probeScript, type ProbeState } from './popup-probe';

export const MB = 1024 * 1024;
export const k = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));

export interface Opened {
  page: Page;
  ms: number;
}

export async function openPopup(b: ExtensionBrowser, until: 'rows' | 'unlock'): Promise<Opened> {
  const page = await b.context.newPage();
  await page.addInitScript(probeScript());
  await page.goto(`${b.origin}/popup.html`);
  const field = until === 'rows' ? 'firstRowsAt' : 'unlockFormAt';
  await page.waitForFunction((f) => (globalThis as unknown as { __lkProbe?: Record<string, unknown> }).__lkProbe?.[f] != null, field, { timeout: 30_000 });
  const ms = await page.evaluate((f) => (globalThis as unknown as { __lkProbe: Record<string, number> }).__lkProbe[f]!, field);
  return { page, ms };
}

export async function probeState(page: Page): Promise<ProbeState> {
  return page.evaluate(() => (globalThis as unknown as { __lkProbe: ProbeState }).__lkProbe);
}

export async function popupHeap(b: ExtensionBrowser, page: Page): Promise<number> {
  const cdp = await b.context.newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.enable');
    for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

export function scale(s: Summary, f: number): Summary {
  return { ...s, median: s.median * f, min: s.min * f, max: s.max * f, q1: s.q1 * f, q3: s.q3 * f, samples: s.samples.map((x) => x * f) };
}
