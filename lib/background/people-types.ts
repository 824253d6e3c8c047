// The part of the server's API that people and messages use (PEOPLE-API.md), as the services see
// it; lib/background/people-api.ts adapts the tRPC client to it, tests pass a fake.
import type { ConnectionKind } from '../messages/people-protocol';

export interface PublicUser {
  userId: string;
  username: string;
  boxPublicKey: string;
  signingPublicKey: string;
}

export interface ServerConnection extends PublicUser {
  kind: ConnectionKind;
  sharingRequest: 'none' | 'sent' | 'received';
  createdAt: number;
  updatedAt: number;
}

export interface ServerIncoming {
  id: string;
  from: PublicUser;
  kind: ConnectionKind;
  viaEmail: boolean;
  createdAt: number;
  expiresAt: number;
}

export interface ServerOutgoing {
  id: string;
  kind: ConnectionKind;
  createdAt: number;
  expiresAt: number;
  to: PublicUser | { email: string };
}

export interface ServerMessageSummary {
  id: string;
  peer: { userId: string; username: string };
  direction: 'in' | 'out';
  createdAt: number;
  readAt: number | null;
  header: string | null;
  size: number;
}

export interface PeopleApi {
  lookup(input: { username: string }): Promise<{ user: PublicUser | null }>;
  invite(input: ({ userId: string } | { email: string }) & { kind?: ConnectionKind }): Promise<{ invitation: ServerOutgoing }>;
  invitations(): Promise<{ incoming: ServerIncoming[]; outgoing: ServerOutgoing[] }>;
  acceptInvitation(id: string): Promise<{ connection: ServerConnection }>;
  declineInvitation(id: string): Promise<void>;
  cancelInvitation(id: string): Promise<void>;
  list(): Promise<{ connections: ServerConnection[] }>;
  requestSharing(userId: string): Promise<void>;
  acceptSharing(userId: string): Promise<void>;
  stopSharing(userId: string): Promise<void>;
  remove(userId: string): Promise<void>;
}

export interface MessagesApi {
  send(input: { id: string; recipientId: string; header: string | null; envelope: string }): Promise<{ id: string; createdAt: number }>;
  list(box: 'in' | 'out', before: string | null): Promise<{ messages: ServerMessageSummary[]; next: string | null }>;
  get(id: string): Promise<ServerMessageSummary & { envelope: string }>;
  markRead(ids: string[]): Promise<void>;
  delete(id: string): Promise<void>;
  unreadCount(): Promise<number>;
}

export interface PeopleServer {
  people: PeopleApi;
  messages: MessagesApi;
}
