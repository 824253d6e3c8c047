// One benchmark run at a time in a work tree: a second run would rebuild the extension under the
// first one's feet and, on a 2-core machine, skew both runs' figures. The second one waits.
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const LOCK = resolve('.tmp/bench/run.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function takeRunLock(log: (s: string) => void, maxWaitMs = 30 * 60_000): Promise<void> {
  mkdirSync(dirname(LOCK), { recursive: true });
  const until = Date.now() + maxWaitMs;
  let said = false;
  for (;;) {
    try {
      const fd = openSync(LOCK, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      process.on('exit', () => {
        try {
          if (readFileSync(LOCK, 'utf8') === String(process.pid)) rmSync(LOCK);
        } catch {
          // Already gone.
        }
      });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = Number(readFileSync(LOCK, 'utf8').trim() || 0);
    if (!holder || !alive(holder)) {
      rmSync(LOCK, { force: true }); // left by a run that died
      continue;
    }
    if (Date.now() > until) throw new Error(`Another benchmark run (pid ${holder}) has held ${LOCK} for too long`);
    if (!said) log(`another benchmark run (pid ${holder}) is in progress; waiting for it to finish`);
    said = true;
    await new Promise((r) => setTimeout(r, 2000));
  }
}
