// The counters the live stream carries besides the vault cursor (PEOPLE-API.md "Live updates"):
// linkSeq moves when one of my link shares changed, peopleSeq when people, invitations or
// messages did. A counter that moved tells its listeners, which pull what they show.

export const LIVE_COUNTERS = ['linkSeq', 'peopleSeq'] as const;
export type LiveCounter = (typeof LIVE_COUNTERS)[number];

export interface LiveCounters {
  /** What the subscription sends: 0 before a counter is known, so the first event brings it (a refresh). */
  input(): Record<LiveCounter, number>;
  /** One event from the stream (tracked events arrive as { id, data }). */
  seen(event: unknown): void;
  on(counter: LiveCounter, listener: () => void): void;
}

export function createLiveCounters(): LiveCounters {
  const values = new Map<LiveCounter, number>();
  const listeners = new Map<LiveCounter, (() => void)[]>(LIVE_COUNTERS.map((c) => [c, []]));
  return {
    input() {
      return { linkSeq: values.get('linkSeq') ?? 0, peopleSeq: values.get('peopleSeq') ?? 0 };
    },
    seen(event) {
      const e = event as { data?: Record<string, unknown> } & Record<string, unknown> | undefined;
      for (const counter of LIVE_COUNTERS) {
        const value = e?.data?.[counter] ?? e?.[counter];
        if (typeof value !== 'number' || value === values.get(counter)) continue;
        values.set(counter, value);
        for (const l of listeners.get(counter)!) l();
      }
    },
    on(counter, listener) {
      listeners.get(counter)!.push(listener);
    },
  };
}
