// Runs the companion server as its own process on loopback for end-to-end tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSmtp, type Smtp } from '../server/smtp';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  /** The folder of its SQLite database (latchkey.sqlite), for tests that play a server gone bad. */
  dataDir: string;
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  restart(): Promise<void>;
}

export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-server-'));
  const port = await freePort();
  let child: ChildProcess | undefined;

  async function launch(): Promise<void> {
    child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 30_000);
      const onData = (d: Buffer) => {
        output += d.toString();
        if (output.includes('listening')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child!.stdout!.on('data', onData);
      child!.stderr!.on('data', onData);
      child!.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
    });
  }

  async function halt(): Promise<void> {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  }

  await launch();
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    async stop() {
      await halt();
    },
    async restart() {
      await halt();
      await launch();
    },
  };
}

export function removeLater(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A server that mails through an SMTP server of this test process, for every test of the file:
 * both start before the first test and stop after the last. Read `smtp.inbox` for what arrived.
 */
export function serverWithMail(hooks: { beforeAll(fn: () => Promise<void>): void; afterAll(fn: () => Promise<void>): void }): { smtp: Smtp; server: RunningServer } {
  const running = {} as { smtp: Smtp; server: RunningServer };
  hooks.beforeAll(async () => {
    running.smtp = await startSmtp();
    running.server = await startServer({ SMTP_URL: running.smtp.url });
  });
  hooks.afterAll(async () => {
    await running.server?.stop();
    await running.smtp?.close();
  });
  return running;
}
