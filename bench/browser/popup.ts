// The popup in use: open to first rows (warm and with a cold service worker), search per
// keystroke, DOM rows, popup and service-worker heaps, growth over open/close cycles, heap after
// lock, and unlock after a worker restart. Called by extension.ts at the 10,000-entry stage.
import type { Page } from '@playwright/test';
import { closeOffscreenDocument, NoAnswer, send, serviceWorkerHeap, stopServiceWorker, timedSend, type ExtensionBrowser } from '../lib/browser';
import { failed, judge, notBuilt, type Row } from '../lib/report';
import { summarize, type Summary } from '../lib/stats';
import type { ExtensionBenchOptions } from './extension';
import { k, MB, openPopup, popupHeap, probeState, scale } from './popup-open';
import { ROW_SELECTOR } from './popup-probe';
import { searchRows } from './popup-search';

export const PASSWORD = 'correct horse battery staple';

/** Scrolls the list through several positions; the probe records the most rows ever rendered. */
async function scrollAround(page: Page): Promise<void> {
  for (const frac of [0.25, 0.5, 0.999, 0, 0.75]) {
    await page.evaluate((f) => {
      const el = document.getElementById('entry-list');
      if (el) el.scrollTop = f * (el.scrollHeight - el.clientHeight);
    }, frac);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }
}

export async function popupAndMemory(b: ExtensionBrowser, o: ExtensionBenchOptions, size: number): Promise<Row[]> {
  const rows: Row[] = [];
  const sender = await b.senderPage();
  const label = k(size);
  if (!b.realPopup) {
    rows.push(
      notBuilt('popup', 'popup open to first rows, warm', '≤ 200 ms', 'the popup is not in the build'),
      notBuilt('popup', 'popup open to first rows, cold service worker', '≤ 400 ms', 'the popup is not in the build'),
      notBuilt('popup', `search per keystroke, ${label} entries`, '≤ 16 ms', 'the popup is not in the build'),
      notBuilt('popup', 'DOM rows at any time', '≤ 40', 'the popup is not in the build'),
      notBuilt('memory', `popup heap, ${label} entries`, '≤ 30 MB', 'the popup is not in the build'),
      notBuilt('memory', `service worker heap growth over ${o.cycles} popup open/close cycles`, '≤ 2 MB', 'the popup is not in the build'),
    );
  }

  // Locked baselines: the service worker's heap and the popup's unlock screen.
  o.log('extension: locked baselines');
  await send(sender, 'session.lock');
  const lockedHeap = summarize([await serviceWorkerHeap(b), await serviceWorkerHeap(b)]);
  const lockedOpen: number[] = [];
  let lockedPopupHeap: Summary | undefined;
  if (b.realPopup) {
    for (let i = 0; i < Math.min(5, o.popupRepeats) + 1; i++) {
      const { page, ms } = await openPopup(b, 'unlock');
      if (i > 0) lockedOpen.push(ms);
      if (i === 1) lockedPopupHeap = summarize([await popupHeap(b, page)]);
      await page.close();
    }
  }

  await send(sender, 'session.unlock', { password: PASSWORD });
  await send(sender, 'vault.list');
  const swHeap = summarize([await serviceWorkerHeap(b), await serviceWorkerHeap(b), await serviceWorkerHeap(b)]);
  rows.push(
    judge({
      group: 'memory',
      name: `service worker heap, unlocked and listed, ${label} entries`,
      unit: 'MB',
      value: scale(swHeap, 1 / MB),
      baseline: { name: 'locked', value: scale(lockedHeap, 1 / MB) },
      ratio: swHeap.median / lockedHeap.median,
      ratioText: 'of locked',
      targets: [{ on: 'value', op: '<=', limit: 40, text: '≤ 40 MB' }],
      note: 'JS heap in use after forced GC (CDP Runtime.getHeapUsage on the worker target)',
    }),
  );

  if (b.realPopup) {
    o.log('extension: popup open, warm');
    let maxRows = 0;
    const warm: number[] = [];
    let heap: number | undefined;
    for (let i = 0; i < o.popupRepeats + 1; i++) {
      const { page, ms } = await openPopup(b, 'rows');
      if (i > 0) warm.push(ms);
      if (i === 1) heap = await popupHeap(b, page);
      if (i === 1) await scrollAround(page);
      maxRows = Math.max(maxRows, (await probeState(page)).maxRows);
      await page.close();
    }
    const w = summarize(warm);
    const lo = summarize(lockedOpen);
    rows.push(
      judge({
        group: 'popup',
        name: `popup open to first rows, warm service worker, ${label} entries`,
        unit: 'ms',
        value: w,
        baseline: { name: 'popup to unlock form (locked)', value: lo },
        ratio: w.median / lo.median,
        ratioText: 'of locked popup',
        targets: [{ on: 'value', op: '<=', limit: 200, text: '≤ 200 ms' }],
        note: 'navigation start → the frame that painted the first entry rows (popup.html opened in a tab)',
      }),
    );
    rows.push(
      judge({
        group: 'memory',
        name: `popup heap with rows, ${label} entries`,
        unit: 'MB',
        value: summarize([heap! / MB]),
        baseline: lockedPopupHeap ? { name: 'popup locked', value: scale(lockedPopupHeap, 1 / MB) } : undefined,
        ratio: lockedPopupHeap ? heap! / lockedPopupHeap.median : undefined,
        ratioText: 'of locked popup',
        targets: [{ on: 'value', op: '<=', limit: 30, text: '≤ 30 MB' }],
      }),
    );

    o.log('extension: search');
    try {
      const s = await searchRows(b, o, size, 16);
      rows.push(...s.rows);
      maxRows = Math.max(maxRows, s.maxRows);
    } catch (e) {
      rows.push(failed('popup', `search per keystroke, ${label} entries`, e));
    }

    o.log(`extension: ${o.cycles} popup open/close cycles`);
    const before = await serviceWorkerHeap(b);
    const cycleMs: number[] = [];
    for (let i = 0; i < o.cycles; i++) {
      const { page, ms } = await openPopup(b, 'rows');
      cycleMs.push(ms);
      maxRows = Math.max(maxRows, (await probeState(page)).maxRows);
      await page.close();
    }
    const after = await serviceWorkerHeap(b);
    const growth = (after - before) / MB;
    rows.push(
      judge({
        group: 'memory',
        name: `service worker heap growth over ${o.cycles} popup open/close cycles`,
        unit: 'MB',
        value: summarize([growth]),
        baseline: { name: 'before the cycles', value: summarize([before / MB]) },
        ratio: after / before,
        ratioText: 'after ÷ before',
        targets: [{ on: 'value', op: '<=', limit: 2, text: '≤ 2 MB' }],
        note: `each cycle: open popup.html, wait for rows, close; opens took median ${summarize(cycleMs).median.toFixed(0)} ms`,
      }),
    );
    rows.push(
      judge({
        group: 'popup',
        name: 'DOM rows at any time (opens, scrolling, every keystroke)',
        unit: 'rows',
        value: summarize([maxRows]),
        targets: [{ on: 'value', op: '<=', limit: 40, text: '≤ 40' }],
        note: `counted after every frame that changed the DOM, ${ROW_SELECTOR}`,
      }),
    );
  }

  o.log('extension: heap after lock');
  await send(sender, 'session.lock');
  const afterLock = summarize([await serviceWorkerHeap(b), await serviceWorkerHeap(b)]);
  const delta = (afterLock.median - lockedHeap.median) / MB;
  rows.push(
    judge({
      group: 'memory',
      name: `service worker heap after lock, ${label} entries (minus the locked baseline)`,
      unit: 'MB',
      value: summarize([delta]),
      baseline: { name: 'locked before unlock', value: scale(lockedHeap, 1 / MB) },
      ratio: afterLock.median / lockedHeap.median,
      ratioText: 'after ÷ before',
      targets: [{ on: 'value', op: '<=', limit: 1, text: 'back to locked baseline (≤ +1 MB)' }],
      note: `unlocked it held ${(swHeap.median / MB).toFixed(1)} MB`,
    }),
  );

  if (b.realPopup) {
    o.log('extension: popup open, cold service worker');
    await send(sender, 'session.unlock', { password: PASSWORD });
    await send(sender, 'vault.list');
    const cold: number[] = [];
    const warmAgain: number[] = [];
    for (let i = 0; i < o.coldRepeats; i++) {
      await stopServiceWorker(b);
      const c = await openPopup(b, 'rows');
      cold.push(c.ms);
      await c.page.close();
      const w = await openPopup(b, 'rows');
      warmAgain.push(w.ms);
      await w.page.close();
    }
    const c = summarize(cold);
    const wa = summarize(warmAgain);
    rows.push(
      judge({
        group: 'popup',
        name: `popup open to first rows, cold service worker, ${label} entries`,
        unit: 'ms',
        value: c,
        baseline: { name: 'warm, interleaved', value: wa },
        ratio: c.median / wa.median,
        ratioText: 'of warm',
        targets: [{ on: 'value', op: '<=', limit: 400, text: '≤ 400 ms' }],
        note: 'worker stopped with CDP ServiceWorker.stopAllWorkers; it restores the session from storage.session and decrypts the vault again',
      }),
    );
  }
  rows.push(await unlockAfterRestart(b, o));
  return rows;
}

/**
 * session.unlock in a service worker that restarted while the offscreen document (which runs
 * Argon2id) stayed open, as happens after Chrome stops an idle worker. If it never answers, the
 * row says so and the harness closes the offscreen document and restarts the worker to go on.
 */
async function unlockAfterRestart(b: ExtensionBrowser, o: ExtensionBenchOptions): Promise<Row> {
  const name = 'session.unlock after the service worker restarted (offscreen document still open)';
  const target = [{ on: 'value' as const, op: '<=' as const, limit: 1000, text: '< 1 s' }];
  const ms: number[] = [];
  for (let i = 0; i < Math.min(3, o.coldRepeats); i++) {
    await send(await b.senderPage(), 'session.lock');
    await stopServiceWorker(b);
    const sender = await b.senderPage();
    try {
      ms.push((await timedSend(sender, 'session.unlock', { password: PASSWORD }, 10_000)).ms);
    } catch (e) {
      if (!(e instanceof NoAnswer)) throw e;
      await sender.close();
      const closed = await closeOffscreenDocument(b);
      await stopServiceWorker(b);
      await send(await b.senderPage(), 'session.unlock', { password: PASSWORD }, 60_000);
      return {
        group: 'unlock',
        name,
        unit: 'ms',
        status: 'MISSED',
        targets: target,
        note: `no answer within 10 s on try ${i + 1}: the restarted worker waits for a port from the offscreen document, which connected once, to the old worker (lib/background/offscreen-bridge.ts, entrypoints/offscreen/main.ts). To go on, the harness ${closed ? 'closed the offscreen document and ' : ''}restarted the worker.`,
      };
    }
  }
  await send(await b.senderPage(), 'vault.list');
  return judge({ group: 'unlock', name, unit: 'ms', value: summarize(ms), targets: target });
}
