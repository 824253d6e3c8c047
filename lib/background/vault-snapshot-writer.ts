// Keeps the stored overview snapshot current: sealed a second after the last change, and once more
// just before a lock takes the key, so the next unlock opens one blob instead of every record.
import type { VaultRepository } from '../vault/repository';
import { sealSnapshot } from '../vault/snapshot';
import type { SessionService } from './types';
import { summariesOf, type Loaded } from './vault-loader';

const SNAPSHOT_DELAY_MS = 1000;

export interface SnapshotWriterDeps {
  repo: VaultRepository;
  session: SessionService;
  /** False once `l` was locked away or replaced: its snapshot is not written. */
  isCurrent(l: Loaded): boolean;
}

export interface SnapshotWriter {
  /** Seals `l`'s overview a moment after the last call, unless it is locked or replaced first. */
  schedule(l: Loaded): void;
}

export function createSnapshotWriter(deps: SnapshotWriterDeps): SnapshotWriter {
  const { repo, session } = deps;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let write: (() => void) | undefined;

  // A snapshot still waiting is sealed before the key goes, so the next unlock opens one blob.
  session.onBeforeLock(() => {
    clearTimeout(timer);
    write?.();
  });
  session.onLock(() => {
    clearTimeout(timer);
    write = undefined;
  });

  return {
    schedule(l) {
      clearTimeout(timer);
      write = () => {
        write = undefined;
        if (!deps.isCurrent(l) || session.state() !== 'unlocked' || l.source) return;
        void repo.putSnapshot(sealSnapshot(session.userKey(), summariesOf(l))).catch(() => undefined);
      };
      timer = setTimeout(write, SNAPSHOT_DELAY_MS);
    },
  };
}
