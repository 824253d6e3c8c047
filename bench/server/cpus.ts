// Which cores the server benchmark gives to whom: the server under test (ours and the bare baseline
// alike, and PostgreSQL with it) on one core, the load generator on the others, so the load
// generator's own CPU time never comes out of the server's. Pinned with taskset (util-linux); where
// taskset or a second core is missing nothing is pinned and `note` says so.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export interface CpuPlan {
  /** Command prefix that pins a process to the server's core, e.g. ['taskset', '-c', '1']; [] when unpinned. */
  server: string[];
  /** The same for the load generator. */
  load: string[];
  /** How the run was set up, for the rows' notes. */
  note: string;
}

let plan: CpuPlan | undefined;

export function cpuPlan(): CpuPlan {
  if (plan) return plan;
  const cores = availableParallelism();
  const taskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  if (!taskset || cores < 2) {
    plan = { server: [], load: [], note: `not pinned (${taskset ? `${cores} core` : 'no taskset'}): server and load generator share the cores` };
  } else {
    const serverCore = cores - 1;
    const loadCores = cores === 2 ? '0' : `0-${cores - 2}`;
    plan = {
      server: ['taskset', '-c', String(serverCore)],
      load: ['taskset', '-c', loadCores],
      note: `server on core ${serverCore}, autocannon on core ${loadCores} (taskset)`,
    };
  }
  return plan;
}
