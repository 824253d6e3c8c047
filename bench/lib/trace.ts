// Main-thread time from a Chromium trace: how long the renderer's main thread ran script from a
// given URL prefix (the content script), and how long it was busy in all. Both as thread time (the
// CPU time the thread spent running it: the work) and as wall time (which also counts the moments
// the operating system gave the CPU to another process in the middle of it).
import type { CDPSession } from '@playwright/test';

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread clock: the CPU time of the thread (Chromium records it for complete events). */
  tts?: number;
  tdur?: number;
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

/** Milliseconds covered by the union of [start, start + length) intervals (nested events once). */
function union(intervals: [number, number][]): number {
  let total = 0;
  let end = -Infinity;
  for (const [start, length] of intervals.sort((a, b) => a[0] - b[0])) {
    if (start >= end) {
      total += length;
      end = start + length;
    } else if (start + length > end) {
      total += start + length - end;
      end = start + length;
    }
  }
  return total / 1000;
}

/**
 * Main-thread milliseconds of script whose URL starts with `prefix`, counting each nested stack
 * once, on the renderer main thread(s) that ran it; and the busy time (top-level tasks) of the
 * same thread(s) over the trace, as the page's own load cost for comparison.
 *
 * `scriptMs` and `busyMs` are thread time (tts/tdur): the CPU the main thread spent, which is the
 * main-thread work the page pays for. `scriptWallMs` and `busyWallMs` are the same events' wall
 * time, which on a loaded machine also counts the time the thread sat preempted mid-event (on the
 * shared 2-core machine, at load 6, often more than the work itself). Events without a thread
 * clock count their wall time in both.
 */
export function scriptTime(events: TraceEvent[], prefix: string): { scriptMs: number; busyMs: number; scriptWallMs: number; busyWallMs: number; threads: number; byName: Record<string, number> } {
  const mainThreads = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const complete = events.filter((e) => e.ph === 'X' && e.dur !== undefined && mainThreads.has(`${e.pid}:${e.tid}`));
  const matching = complete.filter((e) => SCRIPT_EVENTS.has(e.name) && (e.args?.data?.url ?? '').startsWith(prefix));
  const threads = new Set(matching.map((e) => `${e.pid}:${e.tid}`));
  const cpu = (e: TraceEvent): [number, number] => (e.tts !== undefined && e.tdur !== undefined ? [e.tts, e.tdur] : [e.ts, e.dur!]);
  const wall = (e: TraceEvent): [number, number] => [e.ts, e.dur!];
  let scriptMs = 0;
  let scriptWallMs = 0;
  const byName: Record<string, number> = {};
  for (const t of threads) {
    const mine = matching.filter((e) => `${e.pid}:${e.tid}` === t);
    scriptMs += union(mine.map(cpu));
    scriptWallMs += union(mine.map(wall));
    // Per top-level kind: an event nested in another of ours is already in its parent.
    const top = mine.filter((e) => !mine.some((o) => o !== e && o.ts <= e.ts && o.ts + o.dur! >= e.ts + e.dur! && (o.ts < e.ts || o.dur! > e.dur!)));
    for (const e of top) byName[e.name] = (byName[e.name] ?? 0) + cpu(e)[1] / 1000;
  }
  let busyMs = 0;
  let busyWallMs = 0;
  for (const t of threads) {
    for (const e of complete) {
      if (`${e.pid}:${e.tid}` !== t || (e.name !== 'RunTask' && e.name !== 'ThreadControllerImpl::RunTask')) continue;
      busyMs += cpu(e)[1] / 1000;
      busyWallMs += e.dur! / 1000;
    }
  }
  return { scriptMs, busyMs, scriptWallMs, busyWallMs, threads: threads.size, byName };
}
