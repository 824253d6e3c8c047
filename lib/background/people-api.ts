// Connects the people and message services to the server this vault syncs with, through the sync
// service's tRPC client (people.* and messages.*, server/routers/people.ts and messages.ts).
import type { VaultRepository } from '../vault/repository';
import type { PeopleServer } from './people-types';
import { connectedClient } from './connected-client';
import type { SyncService } from './sync-types';

export function peopleServerOf(repo: Pick<VaultRepository, 'sync'>, sync: SyncService): () => Promise<PeopleServer | undefined> {
  return async () => {
    const connected = await connectedClient(repo, sync);
    if (!connected) return undefined;
    const { client } = connected;
    const { people, messages } = client;
    return {
      people: {
        lookup: (input) => people.lookup.mutate(input),
        invite: (input) => people.invite.mutate(input),
        invitations: () => people.invitations.query(),
        acceptInvitation: (id) => people.acceptInvitation.mutate({ id }),
        declineInvitation: async (id) => void (await people.declineInvitation.mutate({ id })),
        cancelInvitation: async (id) => void (await people.cancelInvitation.mutate({ id })),
        list: () => people.list.query(),
        requestSharing: async (userId) => void (await people.requestSharing.mutate({ userId })),
        acceptSharing: async (userId) => void (await people.acceptSharing.mutate({ userId })),
        stopSharing: async (userId) => void (await people.stopSharing.mutate({ userId })),
        remove: async (userId) => void (await people.remove.mutate({ userId })),
      },
      messages: {
        send: (input) => messages.send.mutate(input),
        list: (box, before) => (box === 'in' ? messages.inbox : messages.sent).query({ before, limit: 50 }),
        get: async (id) => (await messages.get.query({ id })).message,
        markRead: async (ids) => void (await messages.markRead.mutate({ ids })),
        delete: async (id) => void (await messages.delete.mutate({ id })),
        unreadCount: async () => (await messages.unreadCount.query()).unread,
      },
    };
  };
}
