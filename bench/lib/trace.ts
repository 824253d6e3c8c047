// Main-thread time from a Chromium trace: how long the renderer's main thread ran script from a
// given URL prefix (the content script), and how long it was busy in all.
import type { CDPSession } from '@playwright/test';

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { data?: { url?: string; frame?: string; stackTrace?: { url?: string }[] }; name?: string };
}

export async function startTrace(cdp: CDPSession): Promise<void> {
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: ['devtools.timeline', 'v8.execute', 'disabled-by-default-devtools.timeline', '__metadata', 'toplevel'] },
  } as never);
}

export async function stopTrace(cdp: CDPSession): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  const onData = (e: { value: TraceEvent[] }) => events.push(...e.value);
  cdp.on('Tracing.dataCollected', onData as never);
  const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.end');
  await done;
  cdp.off('Tracing.dataCollected', onData as never);
  return events;
}

const SCRIPT_EVENTS = new Set(['EvaluateScript', 'FunctionCall', 'v8.compile', 'v8.compileModule', 'EventDispatch', 'TimerFire', 'FireIdleCallback', 'v8.evaluateModule', 'RunMicrotasks']);

/**
 * Main-thread milliseconds of script whose URL starts with `prefix`, counting each nested stack
 * once, on the renderer main thread(s) that ran it; and the busy time (top-level tasks) of the
 * same thread(s) over the trace, as the page's own load cost for comparison.
 */
export function scriptTime(events: TraceEvent[], prefix: string): { scriptMs: number; busyMs: number; threads: number; byName: Record<string, number> } {
  const mainThreads = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const complete = events.filter((e) => e.ph === 'X' && e.dur !== undefined && mainThreads.has(`${e.pid}:${e.tid}`));
  const matching = complete.filter((e) => SCRIPT_EVENTS.has(e.name) && (e.args?.data?.url ?? '').startsWith(prefix));
  const threads = new Set(matching.map((e) => `${e.pid}:${e.tid}`));
  let scriptMs = 0;
  const byName: Record<string, number> = {};
  for (const t of threads) {
    const mine = matching.filter((e) => `${e.pid}:${e.tid}` === t).sort((a, b) => a.ts - b.ts);
    let end = -Infinity;
    for (const e of mine) {
      if (e.ts >= end) {
        scriptMs += e.dur! / 1000;
        byName[e.name] = (byName[e.name] ?? 0) + e.dur! / 1000;
        end = e.ts + e.dur!;
      } else if (e.ts + e.dur! > end) {
        scriptMs += (e.ts + e.dur! - end) / 1000;
        end = e.ts + e.dur!;
      }
    }
  }
  let busyMs = 0;
  for (const t of threads) {
    for (const e of complete) if (`${e.pid}:${e.tid}` === t && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask')) busyMs += e.dur! / 1000;
  }
  return { scriptMs, busyMs, threads: threads.size, byName };
}
