// An in-memory stand-in for the server's people.* and messages.* procedures (PEOPLE-API.md), shared
// by several test backgrounds, recording every message envelope it receives. It can swap a
// person's public keys, as a server gone bad (or a re-keyed account) would.
import { TRPCClientError } from '@trpc/client';
import { AppError } from '../../../lib/errors';
import type { PeopleServer, PublicUser, ServerConnection, ServerMessageSummary, ServerOutgoing } from '../../../lib/background/people-types';

interface Stored {
  id: string;
  from: string;
  to: string;
  createdAt: number;
  readAt: number | null;
  envelope: string;
  deletedBy: Set<string>;
}

export function fakePeopleWorld() {
  const users = new Map<string, PublicUser>();
  const invitations: { id: string; from: string; to: string; kind: 'messages' | 'sharing'; createdAt: number }[] = [];
  const connections = new Map<string, { a: string; b: string; kind: 'messages' | 'sharing'; request: string | null }>();
  const messages = new Map<string, Stored>();
  const envelopes: string[] = [];
  let seq = 0;
  const pairKey = (a: string, b: string) => [a, b].sort().join('|');
  const notFound = () => new AppError('NOT_FOUND', 'not found');

  function connectionOf(me: string, other: string): ServerConnection | undefined {
    const c = connections.get(pairKey(me, other));
    const u = users.get(other);
    if (!c || !u) return undefined;
    return { ...u, kind: c.kind, sharingRequest: c.request === null ? 'none' : c.request === me ? 'sent' : 'received', createdAt: 1, updatedAt: 1 };
  }

  function summary(m: Stored, me: string): ServerMessageSummary {
    const peerId = m.from === me ? m.to : m.from;
    return { id: m.id, peer: { userId: peerId, username: users.get(peerId)!.username }, direction: m.from === me ? 'out' : 'in', createdAt: m.createdAt, readAt: m.readAt, header: null, size: m.envelope.length };
  }

  function serverFor(me: string): PeopleServer {
    return {
      people: {
        async lookup({ username }) {
          return { user: [...users.values()].find((u) => u.username === username) ?? null };
        },
        async invite(input) {
          if ('email' in input) {
            const invitation: ServerOutgoing = { id: `inv-${++seq}`, kind: 'messages', createdAt: seq, expiresAt: seq + 1e9, to: { email: input.email } };
            return { invitation };
          }
          const to = users.get(input.userId);
          if (!to) throw notFound();
          const id = `inv-${++seq}`;
          invitations.push({ id, from: me, to: input.userId, kind: input.kind ?? 'messages', createdAt: seq });
          return { invitation: { id, kind: 'messages', createdAt: seq, expiresAt: seq + 1e9, to } };
        },
        async invitations() {
          return {
            incoming: invitations.filter((i) => i.to === me).map((i) => ({ id: i.id, from: users.get(i.from)!, kind: i.kind, viaEmail: false, createdAt: i.createdAt, expiresAt: i.createdAt + 1e9 })),
            outgoing: invitations.filter((i) => i.from === me).map((i) => ({ id: i.id, kind: i.kind, createdAt: i.createdAt, expiresAt: i.createdAt + 1e9, to: users.get(i.to)! })),
          };
        },
        async acceptInvitation(id) {
          const at = invitations.findIndex((i) => i.id === id && i.to === me);
          if (at < 0) throw notFound();
          const [i] = invitations.splice(at, 1);
          connections.set(pairKey(i!.from, me), { a: i!.from, b: me, kind: i!.kind, request: null });
          return { connection: connectionOf(me, i!.from)! };
        },
        async declineInvitation(id) {
          const at = invitations.findIndex((i) => i.id === id && i.to === me);
          if (at < 0) throw notFound();
          invitations.splice(at, 1);
        },
        async cancelInvitation(id) {
          const at = invitations.findIndex((i) => i.id === id && i.from === me);
          if (at < 0) throw notFound();
          invitations.splice(at, 1);
        },
        async list() {
          return { connections: [...connections.values()].filter((c) => c.a === me || c.b === me).map((c) => connectionOf(me, c.a === me ? c.b : c.a)!) };
        },
        async requestSharing(userId) {
          const c = connections.get(pairKey(me, userId));
          if (!c) throw notFound();
          if (c.request && c.request !== me) {
            c.kind = 'sharing';
            c.request = null;
          } else if (c.kind === 'messages') c.request = me;
        },
        async acceptSharing(userId) {
          const c = connections.get(pairKey(me, userId));
          if (!c || !c.request || c.request === me) throw notFound();
          c.kind = 'sharing';
          c.request = null;
        },
        async stopSharing(userId) {
          const c = connections.get(pairKey(me, userId));
          if (!c) throw notFound();
          c.kind = 'messages';
          c.request = null;
        },
        async remove(userId) {
          if (!connections.delete(pairKey(me, userId))) throw notFound();
        },
      },
      messages: {
        async send(input) {
          if (!connections.has(pairKey(me, input.recipientId))) throw new AppError('NOT_FOUND', 'You are not connected with this person');
          envelopes.push(input.envelope);
          messages.set(input.id, { id: input.id, from: me, to: input.recipientId, createdAt: ++seq, readAt: null, envelope: input.envelope, deletedBy: new Set() });
          return { id: input.id, createdAt: seq };
        },
        async list(box) {
          const mine = [...messages.values()].filter((m) => !m.deletedBy.has(me) && (box === 'in' ? m.to === me : m.from === me));
          return { messages: mine.sort((x, y) => y.createdAt - x.createdAt).map((m) => summary(m, me)), next: null };
        },
        async get(id) {
          const m = messages.get(id);
          if (!m || m.deletedBy.has(me) || (m.from !== me && m.to !== me)) throw notFound();
          return { ...summary(m, me), envelope: m.envelope };
        },
        async markRead(ids) {
          for (const id of ids) {
            const m = messages.get(id);
            if (m && m.to === me && m.readAt === null) m.readAt = Date.now();
          }
        },
        async delete(id) {
          const m = messages.get(id);
          if (!m || (m.from !== me && m.to !== me)) throw notFound();
          m.deletedBy.add(me);
        },
        async unreadCount() {
          return [...messages.values()].filter((m) => m.to === me && m.readAt === null && !m.deletedBy.has(me)).length;
        },
      },
    };
  }

  let offline = false;
  return {
    users,
    messages,
    envelopes,
    /** The server is unreachable for everyone. */
    setOffline(v: boolean) {
      offline = v;
    },
    server(me: string): () => Promise<PeopleServer> {
      const s = serverFor(me);
      const guard = <T extends object>(o: T): T =>
        new Proxy(o, {
          get(target, prop) {
            const f = (target as Record<string | symbol, unknown>)[prop];
            if (typeof f !== 'function') return f;
            return (...args: unknown[]) => (offline ? Promise.reject(new TRPCClientError('fetch failed')) : (f as (...a: unknown[]) => unknown)(...args));
          },
        });
      return async () => ({ people: guard(s.people), messages: guard(s.messages) });
    },
  };
}
