// Search per keystroke in the popup, against the same keystrokes into a plain <input> in the same
// browser. Called by popup.ts at the main size and by extension.ts at the search sizes.
import type { Page } from '@playwright/test';
import { send, type ExtensionBrowser } from '../lib/browser';
import { failed, judge, notBuilt, type Row } from '../lib/report';
import { serveStatic } from '../lib/serve';
import { summarize, type Summary } from '../lib/stats';
import type { ExtensionBenchOptions } from './extension';
import { k, openPopup, probeState } from './popup-open';
import { probeScript, type KeyRecord, type ProbeState } from './popup-probe';

/** Types each query a key at a time, then clears it; returns every keystroke's input-to-paint. */
async function typeQueries(page: Page, queries: string[]): Promise<{ all: KeyRecord[]; typed: KeyRecord[] }> {
  const search = page.getByRole('combobox', { name: 'Search entries' });
  await search.focus();
  const all: KeyRecord[] = [];
  const typed: KeyRecord[] = [];
  const waitDone = async () => {
    await page.waitForFunction(() => (globalThis as unknown as { __lkProbe: ProbeState }).__lkProbe.keys.every((x) => x.done), null, { timeout: 15_000 });
  };
  for (const q of queries) {
    for (const ch of q) {
      await page.keyboard.press(ch === ' ' ? 'Space' : ch);
      await waitDone();
      const rec = (await probeState(page)).keys.at(-1)!;
      all.push(rec);
      typed.push(rec);
    }
    await page.keyboard.press('Control+A');
    await waitDone();
    await page.keyboard.press('Backspace');
    await waitDone();
    all.push((await probeState(page)).keys.at(-1)!);
  }
  return { all, typed };
}

export async function searchRows(b: ExtensionBrowser, o: ExtensionBenchOptions, size: number, target: number): Promise<{ rows: Row[]; maxRows: number }> {
  const { page } = await openPopup(b, 'rows');
  try {
    const before = await page.getByTestId('entry-count').textContent();
    const { all, typed } = await typeQueries(page, o.queries);
    const ms = summarize(all.map((x) => x.paint!));
    const counts = new Set(typed.map((x) => x.count));
    if (counts.size < 2) throw new Error(`typing never changed the listing (count stayed "${before}")`);
    // Baseline: the same keystrokes into a plain <input> on a page of the same browser.
    const base = await plainInputBaseline(b, o.queries);
    return {
      maxRows: (await probeState(page)).maxRows,
      rows: [
        judge({
          group: 'popup',
          name: `search, input to paint per keystroke, ${k(size)} entries`,
          unit: 'ms',
          value: ms,
          baseline: { name: 'plain <input>', value: base },
          ratio: ms.median / base.median,
          ratioText: 'of plain input',
          targets: [{ on: 'value', op: '<=', limit: target, text: `≤ ${target} ms` }],
          note: `${all.length} keystrokes: ${o.queries.map((q) => JSON.stringify(q)).join(', ')} typed a key at a time, each then cleared (Ctrl+A, Backspace); p90 ${quantile90(all.map((x) => x.paint!)).toFixed(1)} ms, worst ${ms.max.toFixed(1)} ms; ${all.filter((x) => x.changed).length} changed the DOM`,
        }),
      ],
    };
  } finally {
    await page.close();
  }
}

async function plainInputBaseline(b: ExtensionBrowser, queries: string[]): Promise<Summary> {
  const srv = await serveStatic();
  const page = await b.context.newPage();
  try {
    // Same probe, on a page named like the popup so it activates; the input changes a line of text.
    srv.put('/popup.html', '<!doctype html><input type="search" role="combobox" aria-label="Search entries" oninput="out.textContent=this.value"><p id="out"></p>');
    await page.addInitScript(probeScript());
    await page.goto(`${srv.url}/popup.html`);
    const { all } = await typeQueries(page, queries);
    return summarize(all.map((x) => x.paint!));
  } finally {
    await page.close();
    await srv.close();
  }
}

export async function searchOnly(b: ExtensionBrowser, o: ExtensionBenchOptions, size: number): Promise<Row[]> {
  if (!b.realPopup) return [notBuilt('popup', `search per keystroke, ${k(size)} entries`, '≤ 50 ms', 'the popup is not in the build')];
  await send(await b.senderPage(), 'vault.list'); // the popup measured is a warm one
  try {
    const r = await searchRows(b, o, size, 50);
    return r.rows;
  } catch (e) {
    return [failed('popup', `search per keystroke, ${k(size)} entries`, e)];
  }
}

function quantile90(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.9 * s.length) - 1)] ?? NaN;
}
