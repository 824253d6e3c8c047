// A live-updates stream (events.onChange) opened through createCaller, and what it has said.
import type { Deps } from '../../server/deps.ts';
import { caller } from './helpers.ts';

export type Watch = Awaited<ReturnType<typeof watch>>;

/**
 * Subscribe and collect what arrives: [eventId, { cursor }] pairs. With `start: false` the
 * subscription is made (the sign-in check has run) but not read until start() is called.
 */
export async function watch(d: Deps, token: string, input: { cursor: number; lastEventId?: string }, opts: { start?: boolean } = {}) {
  const abort = new AbortController();
  const events: { id: string; cursor: number }[] = [];
  let error: unknown = null;
  let ended = false;
  const iterable = await caller(d, token, '127.0.0.1', abort.signal).events.onChange(input);
  let done: Promise<void> | null = null;
  const start = () => {
    done ??= (async () => {
      try {
        for await (const envelope of iterable as AsyncIterable<unknown>) {
          const [id, data] = envelope as [string, { cursor: number }];
          events.push({ id, cursor: data.cursor });
        }
      } catch (e) {
        error = e;
      } finally {
        ended = true;
      }
    })();
  };
  if (opts.start !== false) start();
  return {
    events,
    start,
    error: () => error,
    ended: () => ended,
    async stop() {
      abort.abort();
      start();
      await done;
    },
  };
}
