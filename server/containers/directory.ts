// The directory of a user: every container they can read, with its head and key epoch. vault.changes
// answers it whenever the user's watermark moved, so it is a prepared statement (synchronous on SQLite).
import type { Database } from '../db/index.ts';
import { preparedQuery, whenReady, type MaybePromise } from '../db/prepared.ts';
import type { ContainerKind } from '../db/schema.ts';
import type { Role } from './access.ts';

export interface ContainerHead {
  id: string;
  kind: ContainerKind;
  /** The container's head: page its records with vault.containerChanges while above your cursor. */
  head: number;
  epoch: number;
  role: Role;
}

// Step 1: the containers a user owns (their personal one). Memberships join here in step 2.
const ownContainers = preparedQuery(
  (db, userId: string) => db.selectFrom('containers').select(['id', 'kind', 'head_seq', 'key_epoch']).where('owner_id', '=', userId).orderBy('id'),
  ['sample-user'],
);

export function directoryOf(database: Database, userId: string): MaybePromise<ContainerHead[]> {
  return whenReady(ownContainers(database, userId), (rows) =>
    rows.map((r) => ({ id: r.id, kind: r.kind, head: r.head_seq, epoch: r.key_epoch, role: 'owner' as const })),
  );
}
