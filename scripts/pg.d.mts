// Types of scripts/pg.mjs for the TypeScript tests that use it.
export interface Cluster {
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
  restart(): Promise<void>;
}
export function startPostgres(options?: { pin?: string[] }): Promise<Cluster>;
export function restartPostgres(dir: string): Promise<void>;
