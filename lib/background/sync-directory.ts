// The containers sync visits (CONTAINERS-API.md): where a local container label meets its id on
// the server, and which containers of the directory a pull reads.
import type { ApiOutputs } from '../api/client';

/** An entry's container on this device when it is in the personal vault. */
export const PERSONAL = 'personal';

/** One container the account can read, as vault.changes lists it when something moved. */
export type ContainerHead = ApiOutputs['vault']['changes']['containers'][number];

export interface ContainerIds {
  toServer(local: string): string;
  toLocal(server: string): string;
}

/**
 * Entries keep 'personal' as their container here, because it is bound into their associated data
 * (so nothing is re-encrypted); on the server, the personal container's id is the account's own id.
 * A share has the same id on both sides.
 */
export function containerIds(userId: string): ContainerIds {
  return {
    toServer: (local) => (local === PERSONAL ? userId : local),
    toLocal: (server) => (server === userId ? PERSONAL : server),
  };
}

/**
 * The containers of a directory that have records this device has not pulled: the personal vault,
 * and the shares whose keys are here (`ready`). Any other share's records wait, and its cursor with
 * them, so none is skipped once its key arrives.
 */
export function containersToPull(directory: ContainerHead[], cursors: Record<string, number>, ids: ContainerIds, ready: ReadonlySet<string> = new Set()): ContainerHead[] {
  return directory.filter((c) => (ids.toLocal(c.id) === PERSONAL || ready.has(c.id)) && c.head > (cursors[c.id] ?? 0));
}
