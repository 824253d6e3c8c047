// An in-memory stand-in for the server's containers, vault.* and shares.* procedures
// (CONTAINERS-API.md, SHARES-API.md), shared by several test devices. It enforces the contract's
// permissions (so a test can tell a local refusal from a server one), counts what it was sent, and
// lets a test rewrite what shares.get answers, as a server gone bad would.
import { AppError } from '../../../lib/errors';
import type { ApiClient } from '../../../lib/api/client';
import type { ShareDetails, MemberKeyInput } from '../../../lib/background/share-api';
import type { ShareMemberRow } from '../../../lib/vault/db';

type Role = 'read' | 'write' | 'grant';
interface Rec { id: string; revision: number; data: string; deleted: boolean; keyEpoch: number; seq: number }
interface Member { role: Role; grantedBy: string; expiresAt: number | null; acceptedAt: number | null }
interface Container {
  id: string;
  kind: 'personal' | 'share';
  ownerId: string;
  head: number;
  epoch: number;
  rotationDue: boolean;
  records: Map<string, Rec>;
  members: Map<string, Member>;
  rosters: Map<number, string>;
  keys: Map<string, { sealedKey: string; grant: string }>;
}
export interface WorldUser { userId: string; username: string; boxPublicKey: string; signingPublicKey: string }

const notFound = () => new AppError('NOT_FOUND', 'not found');
const rank: Record<Role | 'owner', number> = { read: 1, write: 2, grant: 3, owner: 4 };

export function shareWorld() {
  const users = new Map<string, WorldUser>();
  const containers = new Map<string, Container>();
  let watermark = 1;
  let clock = 1000;
  const calls: { user: string; name: string; input: unknown }[] = [];
  /** A test's rewrite of what shares.get answers (a server gone bad). */
  let rewriteGet: ((d: ShareDetails, user: string) => ShareDetails) | undefined;

  function addUser(u: WorldUser): void {
    users.set(u.userId, u);
    containers.set(u.userId, { id: u.userId, kind: 'personal', ownerId: u.userId, head: 0, epoch: 0, rotationDue: false, records: new Map(), members: new Map(), rosters: new Map(), keys: new Map() });
  }

  function access(user: string, id: string, right: Role, needAccepted = true): Container {
    const c = containers.get(id);
    if (!c) throw notFound();
    if (c.kind === 'personal') {
      if (c.ownerId !== user) throw notFound();
      return c;
    }
    const m = c.members.get(user);
    if (!m || (needAccepted && m.acceptedAt === null)) throw notFound();
    if (rank[m.role] < rank[right]) throw new AppError('FORBIDDEN', 'role');
    return c;
  }

  function write(c: Container, id: string, data: string, deleted: boolean, keyEpoch: number, revision?: number): Rec {
    const rec = { id, revision: revision ?? (c.records.get(id)?.revision ?? 0) + 1, data, deleted, keyEpoch, seq: ++c.head };
    c.records.set(id, rec);
    return rec;
  }

  const bump = () => void watermark++;
  const wire = (r: Rec) => ({ id: r.id, revision: r.revision, data: r.data, deleted: r.deleted, keyEpoch: r.keyEpoch });

  function setKeys(c: Container, epoch: number, keys: MemberKeyInput[], by: string): void {
    for (const k of keys) {
      c.keys.set(`${epoch}|${k.userId}`, { sealedKey: k.sealedKey, grant: k.grant });
      const was = c.members.get(k.userId);
      c.members.set(k.userId, { role: k.role, grantedBy: by, expiresAt: k.expiresAt ?? null, acceptedAt: was?.acceptedAt ?? (k.userId === by && !was ? ++clock : null) });
    }
  }

  function memberRows(c: Container): ShareMemberRow[] {
    return [...c.members].map(([userId, m]) => ({ ...users.get(userId)!, role: m.role, grantedBy: m.grantedBy, expiresAt: m.expiresAt, acceptedAt: m.acceptedAt }));
  }

  function clientFor(user: string): ApiClient {
    const log = (name: string, input: unknown) => void calls.push({ user, name, input });
    const api = {
      vault: {
        changes: {
          query: async ({ cursor }: { cursor: number }) => {
            log('changes', { cursor });
            if (cursor >= watermark) return { cursor: watermark, containers: [] };
            const heads = [...containers.values()].filter((c) => (c.kind === 'personal' ? c.ownerId === user : c.members.has(user)));
            return {
              cursor: watermark,
              containers: heads.map((c) => ({
                id: c.id, kind: c.kind, head: c.head, epoch: c.epoch,
                role: c.kind === 'personal' ? 'owner' : c.members.get(user)!.role,
                accepted: c.kind === 'personal' || c.members.get(user)!.acceptedAt !== null,
                rotationDue: c.rotationDue,
              })),
            };
          },
        },
        containerChanges: {
          query: async ({ container, cursor }: { container: string; cursor: number }) => {
            log('containerChanges', { container, cursor });
            const c = access(user, container, 'read');
            const records = [...c.records.values()].filter((r) => r.seq > cursor).sort((a, b) => a.seq - b.seq).map(wire);
            return { records, cursor: c.head, more: false };
          },
        },
        records: {
          query: async ({ container, ids }: { container: string; ids: string[] }) => {
            const c = access(user, container, 'read');
            return { records: ids.flatMap((id) => (c.records.has(id) ? [wire(c.records.get(id)!)] : [])) };
          },
        },
        putMany: {
          mutate: async ({ container, records }: { container: string; records: { id: string; baseRevision: number; data: string; deleted?: boolean; keyEpoch: number }[] }) => {
            log('putMany', { container, records });
            const c = access(user, container, 'write');
            const results = records.map((r) => {
              if (r.keyEpoch !== c.epoch) return { id: r.id, status: 'stale-epoch' as const, epoch: c.epoch };
              const current = c.records.get(r.id);
              if ((current?.revision ?? 0) !== r.baseRevision) return { id: r.id, status: 'conflict' as const, current: current ? wire(current) : null };
              const rec = write(c, r.id, r.data, r.deleted === true, r.keyEpoch);
              return { id: r.id, status: 'ok' as const, revision: rec.revision, cursor: c.head };
            });
            bump();
            return { results, cursor: c.head };
          },
        },
        move: {
          mutate: async ({ from, to, toEpoch, records }: { from: string; to: string; toEpoch: number; records: { id: string; fromBaseRevision: number; data: string }[] }) => {
            log('move', { from, to, toEpoch });
            const a = access(user, from, 'write');
            const b = access(user, to, 'write');
            const results = records.map((r) => {
              const current = a.records.get(r.id);
              if (!current || current.deleted) return { id: r.id, status: 'not-found' as const };
              if (current.revision !== r.fromBaseRevision) return { id: r.id, status: 'conflict' as const };
              if (toEpoch !== b.epoch) return { id: r.id, status: 'stale-epoch' as const };
              write(a, r.id, '', true, a.epoch);
              const rec = write(b, r.id, r.data, false, toEpoch);
              return { id: r.id, status: 'ok' as const, revision: rec.revision };
            });
            bump();
            return { results };
          },
        },
      },
      shares: {
        get: {
          query: async ({ container }: { container: string }) => {
            log('shares.get', { container });
            const c = access(user, container, 'read', false);
            const details: ShareDetails = {
              container, epoch: c.epoch, rotationDue: c.rotationDue, ownerId: c.ownerId, members: memberRows(c),
              rosters: [...c.rosters].sort(([x], [y]) => x - y).map(([epoch, roster]) => ({ epoch, roster })),
              myKeys: [...c.keys].filter(([k]) => k.endsWith(`|${user}`)).map(([k, v]) => ({ epoch: Number(k.split('|')[0]), ...v })).sort((x, y) => x.epoch - y.epoch),
            };
            return rewriteGet ? rewriteGet(details, user) : details;
          },
        },
        create: {
          mutate: async ({ container, roster, keys }: { container: string; roster: string; keys: MemberKeyInput[] }) => {
            log('shares.create', { container });
            if (containers.has(container)) throw new AppError('CONFLICT', 'exists');
            const c: Container = { id: container, kind: 'share', ownerId: user, head: 0, epoch: 1, rotationDue: false, records: new Map(), members: new Map(), rosters: new Map([[1, roster]]), keys: new Map() };
            setKeys(c, 1, keys, user);
            c.members.get(user)!.acceptedAt = ++clock;
            containers.set(container, c);
            bump();
            return { container, epoch: 1 };
          },
        },
        accept: {
          mutate: async ({ container }: { container: string }) => {
            const c = access(user, container, 'read', false);
            c.members.get(user)!.acceptedAt = ++clock;
            bump();
            return {};
          },
        },
        decline: { mutate: async ({ container }: { container: string }) => leave(user, container) },
        leave: { mutate: async ({ container }: { container: string }) => leave(user, container) },
        removeMember: {
          mutate: async ({ container, userId }: { container: string; userId: string }) => {
            const c = access(user, container, userId === user ? 'read' : 'grant');
            c.members.delete(userId);
            c.rotationDue = true;
            bump();
            return {};
          },
        },
        grant: {
          mutate: async ({ container, epoch, keys }: { container: string; epoch: number; keys: MemberKeyInput[] }) => {
            log('shares.grant', { container, epoch });
            const c = access(user, container, 'grant');
            if (epoch !== c.epoch) throw new AppError('CONFLICT', 'stale-epoch');
            for (const k of keys) {
              const was = c.members.get(k.userId);
              c.keys.set(`${epoch}|${k.userId}`, { sealedKey: k.sealedKey, grant: k.grant });
              c.members.set(k.userId, { role: k.role, grantedBy: user, expiresAt: k.expiresAt ?? null, acceptedAt: was?.acceptedAt ?? null });
            }
            bump();
            return {};
          },
        },
        rotate: {
          mutate: async ({ container, fromEpoch, roster, keys }: { container: string; fromEpoch: number; roster: string; keys: MemberKeyInput[] }) => {
            log('shares.rotate', { container, fromEpoch });
            const c = access(user, container, 'grant');
            if (fromEpoch !== c.epoch) throw new AppError('CONFLICT', 'stale-epoch');
            const epoch = fromEpoch + 1;
            const kept = new Map(c.members);
            c.members.clear();
            for (const k of keys) {
              c.keys.set(`${epoch}|${k.userId}`, { sealedKey: k.sealedKey, grant: k.grant });
              const was = kept.get(k.userId);
              c.members.set(k.userId, { role: k.role, grantedBy: was?.grantedBy ?? user, expiresAt: k.expiresAt ?? null, acceptedAt: was?.acceptedAt ?? null });
            }
            c.rosters.set(epoch, roster);
            c.epoch = epoch;
            c.rotationDue = false;
            bump();
            return { epoch };
          },
        },
      },
    };
    return api as unknown as ApiClient;
  }

  function leave(user: string, container: string) {
    const c = access(user, container, 'read', false);
    c.members.delete(user);
    if (c.members.size === 0) containers.delete(container);
    else c.rotationDue = true;
    bump();
    return {};
  }

  return {
    addUser,
    clientFor,
    calls,
    container: (id: string) => containers.get(id),
    setRewriteGet(f: typeof rewriteGet) {
      rewriteGet = f;
    },
  };
}

export type ShareWorld = ReturnType<typeof shareWorld>;
