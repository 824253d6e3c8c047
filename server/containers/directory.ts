// The directory of a user: every container they can read, with its head and key epoch. vault.changes
// answers it whenever the user's watermark moved (never on the idle poll), so its two reads are
// prepared statements (synchronous on SQLite): the containers the user owns as personal, and the
// shares the user is a member of.
import { sql } from 'kysely';
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
  /** False while a share is offered and not yet accepted (its records stay closed until then). */
  accepted: boolean;
  /** The share waits for a member with grant to rotate its key; writes are refused until then. */
  rotationDue: boolean;
}

const personalContainers = preparedQuery(
  (db, userId: string) =>
    db.selectFrom('containers').select(['id', 'kind', 'head_seq', 'key_epoch']).where('owner_id', '=', userId).where('kind', '=', sql.lit('personal')),
  ['sample-user'],
);

const memberships = preparedQuery(
  (db, userId: string) =>
    db
      .selectFrom('container_members')
      .innerJoin('containers', 'containers.id', 'container_members.container_id')
      .select(['containers.id', 'containers.kind', 'containers.head_seq', 'containers.key_epoch', 'containers.rotation_due', 'container_members.role', 'container_members.accepted_at', 'container_members.expires_at'])
      .where('container_members.user_id', '=', userId),
  ['sample-user'],
);

export function directoryOf(database: Database, userId: string, now: number): MaybePromise<ContainerHead[]> {
  return whenReady(personalContainers(database, userId), (own) =>
    whenReady(memberships(database, userId), (shares) => {
      const heads: ContainerHead[] = own.map((r) => ({ id: r.id, kind: r.kind, head: r.head_seq, epoch: r.key_epoch, role: 'owner', accepted: true, rotationDue: false }));
      for (const r of shares) {
        // An expired membership gives no access from its end date on, before the sweeper removes it.
        if (r.expires_at !== null && r.expires_at <= now) continue;
        heads.push({ id: r.id, kind: r.kind, head: r.head_seq, epoch: r.key_epoch, role: r.role, accepted: r.accepted_at !== null, rotationDue: r.rotation_due === 1 });
      }
      return heads.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }),
  );
}
