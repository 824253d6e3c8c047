// The server's shares.* procedures and vault.move (SHARES-API.md) as the background uses them: an
// interface, so the share code's tests can answer it from an in-memory server.
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

/** The typed tRPC client as the share code uses it: a change in the server's shapes fails the type check here. */
export function shareApiOf(client: ApiClient): ShareApi {
  return {
    get: (input) => client.shares.get.query(input),
    create: (input) => client.shares.create.mutate(input),
    accept: (input) => client.shares.accept.mutate(input),
    decline: (input) => client.shares.decline.mutate(input),
    leave: (input) => client.shares.leave.mutate(input),
    grant: (input) => client.shares.grant.mutate(input),
    rotate: (input) => client.shares.rotate.mutate(input),
    removeMember: (input) => client.shares.removeMember.mutate(input),
    move: (input) => client.vault.move.mutate(input),
  };
}
