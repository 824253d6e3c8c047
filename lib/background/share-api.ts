// The server's shares.* procedures and vault.move (SHARES-API.md) as the background uses them. The
// shapes are the contract's; the tRPC client is read through them until the server's router types
// carry these procedures (then the cast below becomes the plain client).
import type { ApiClient } from '../api/client';
import type { ShareRole } from '../messages/share-protocol';
import type { ShareMemberRow } from '../vault/db';
import type { ContainerHead } from './sync-directory';

export interface MemberKeyInput {
  userId: string;
  role: ShareRole;
  expiresAt?: number;
  sealedKey: string;
  grant: string;
}

export interface ShareDetails {
  container: string;
  epoch: number;
  rotationDue: boolean;
  ownerId: string;
  members: ShareMemberRow[];
  rosters: { epoch: number; roster: string }[];
  myKeys: { epoch: number; sealedKey: string; grant: string }[];
}

export type MoveResult = { id: string; status: 'ok'; revision: number } | { id: string; status: 'conflict' | 'stale-epoch' | 'not-found' };

export interface ShareApi {
  get(input: { container: string }): Promise<ShareDetails>;
  create(input: { container: string; roster: string; keys: MemberKeyInput[] }): Promise<{ container: string; epoch: number }>;
  accept(input: { container: string }): Promise<unknown>;
  decline(input: { container: string }): Promise<unknown>;
  leave(input: { container: string }): Promise<unknown>;
  grant(input: { container: string; epoch: number; keys: MemberKeyInput[] }): Promise<unknown>;
  rotate(input: { container: string; fromEpoch: number; roster: string; keys: MemberKeyInput[] }): Promise<{ epoch: number }>;
  removeMember(input: { container: string; userId: string }): Promise<unknown>;
  move(input: { from: string; to: string; toEpoch: number; records: { id: string; fromBaseRevision: number; data: string }[] }): Promise<{ results: MoveResult[] }>;
}

/** A directory head as SHARES-API.md extends it (accepted, rotationDue); older servers leave them out. */
export type DirectoryHead = ContainerHead & { accepted?: boolean; rotationDue?: boolean };

type Proc<I, O> = { query?: (input: I) => Promise<O>; mutate?: (input: I) => Promise<O> };
type Procs = { [K in keyof ShareApi]: Proc<Parameters<ShareApi[K]>[0], Awaited<ReturnType<ShareApi[K]>>> };

export function shareApiOf(client: ApiClient): ShareApi {
  const { shares, vault } = client as unknown as { shares: Omit<Procs, 'move'>; vault: { move: Procs['move'] } };
  const call =
    <K extends keyof ShareApi>(p: Proc<Parameters<ShareApi[K]>[0], Awaited<ReturnType<ShareApi[K]>>>, kind: 'query' | 'mutate') =>
    (input: Parameters<ShareApi[K]>[0]) =>
      p[kind]!(input);
  return {
    get: call<'get'>(shares.get, 'query'),
    create: call<'create'>(shares.create, 'mutate'),
    accept: call<'accept'>(shares.accept, 'mutate'),
    decline: call<'decline'>(shares.decline, 'mutate'),
    leave: call<'leave'>(shares.leave, 'mutate'),
    grant: call<'grant'>(shares.grant, 'mutate'),
    rotate: call<'rotate'>(shares.rotate, 'mutate'),
    removeMember: call<'removeMember'>(shares.removeMember, 'mutate'),
    move: call<'move'>(vault.move, 'mutate'),
  };
}
