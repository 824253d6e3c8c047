// Connects the link service to the server this vault syncs with, through the sync service's
// tRPC client (links.* procedures, server/routers/links.ts).
import { AppError } from '../errors';
import type { VaultRepository } from '../vault/repository';
import type { LinkServer, LinksApi, ServerLink } from './link-service';
import type { SyncService } from './sync-service';

interface LinksProcedures {
  create: { mutate(input: Record<string, unknown>): Promise<{ id: string; createdAt: number }> };
  list: { query(): Promise<unknown> };
  revoke: { mutate(input: { id: string }): Promise<unknown> };
  sendEmail: { mutate(input: { id: string; to: string; senderName: string; note: string; url: string }): Promise<unknown> };
}

export function linkServerOf(repo: Pick<VaultRepository, 'sync'>, sync: SyncService): () => Promise<LinkServer | undefined> {
  return async () => {
    const meta = await repo.sync();
    if (!meta) return undefined;
    let client: ReturnType<SyncService['api']>;
    try {
      client = sync.api();
    } catch (e) {
      // Signed in, but the connection is not up yet (just unlocked): one sync brings it up.
      if (!(e instanceof AppError) || e.code !== 'UNAUTHENTICATED') throw e;
      await sync.syncNow();
      client = sync.api();
    }
    // TODO(links-server): the typed client once server/routers/links.ts is merged.
    const links = (client as unknown as { links: LinksProcedures }).links;
    const api: LinksApi = {
      create: (input) => links.create.mutate(input),
      list: async () => (await links.list.query()) as ServerLink[],
      revoke: async (id) => void (await links.revoke.mutate({ id })),
      sendEmail: async (input) => void (await links.sendEmail.mutate(input)),
    };
    return { origin: new URL(meta.serverUrl).origin, api };
  };
}
