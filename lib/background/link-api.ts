// Connects the link service to the server this vault syncs with, through the sync service's
// tRPC client (links.* procedures, server/routers/links.ts).
import type { VaultRepository } from '../vault/repository';
import type { LinkServer, LinksApi } from './link-service';
import { connectedClient } from './connected-client';
import type { SyncService } from './sync-service';

export function linkServerOf(repo: Pick<VaultRepository, 'sync'>, sync: SyncService): () => Promise<LinkServer | undefined> {
  return async () => {
    const connected = await connectedClient(repo, sync);
    if (!connected) return undefined;
    const { client, meta } = connected;
    const links = client.links;
    const api: LinksApi = {
      // The service builds the request from link-format.ts (same fields as the server's zod input).
      create: (input) => links.create.mutate(input as Parameters<typeof links.create.mutate>[0]),
      list: () => links.list.query(),
      revoke: async (id) => void (await links.revoke.mutate({ id })),
      sendEmail: async (input) => void (await links.sendEmail.mutate(input)),
    };
    return { origin: new URL(meta.serverUrl).origin, api, username: meta.username };
  };
}
