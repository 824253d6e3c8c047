// Work done after the answer has gone (sending mail): never on the response path, so how long it
// takes tells a client nothing. Tracked, so shutdown and tests can wait for it; a failure is logged
// by its label only (it could carry an address or a code).
export interface Tasks {
  run(label: string, task: () => Promise<void>): void;
  /** Resolves when every task started so far (and any they started) has finished. */
  drain(): Promise<void>;
}

export function createTasks(log: (line: string) => void = (line) => console.error(line)): Tasks {
  const pending = new Set<Promise<void>>();
  return {
    run(label, task) {
      const p: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(task)
        .catch((e: unknown) => log(`[latchkey] ${label} failed: ${e instanceof Error ? e.name : 'error'}`))
        .finally(() => pending.delete(p));
      pending.add(p);
    },
    async drain() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}
