// Starts a server as a child process on a free loopback port and waits for its "listening" line.
import { spawn, type ChildProcess } from 'node:child_process';

const running = new Set<ChildProcess>();
// A run ended by a signal still takes its servers with it.
process.on('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

export interface Child {
  url: string;
  /** taskset execs node, so this is the server's own process. */
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** `prefix` pins the process to a core (['taskset', '-c', '1'], see cpus.ts); [] runs it as is. */
export async function startChild(args: string[], env: Record<string, string | undefined>, prefix: string[] = [], timeoutMs = 30_000): Promise<Child> {
  const command = [...prefix, process.execPath, '--import', 'tsx', ...args];
  const proc = spawn(command[0]!, command.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start within ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const m = /listening on (http:\/\/[^\s)]+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (c: Buffer) => (log += c.toString()));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code}:\n${log}`));
    });
  });
  return {
    url,
    proc,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        const kill = setTimeout(() => proc.kill('SIGKILL'), 8000);
        proc.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        proc.kill('SIGTERM');
      }),
  };
}
