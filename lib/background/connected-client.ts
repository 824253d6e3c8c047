// The tRPC client of the server this vault syncs with, for the services that call it beyond sync
// (links, people, messages): undefined while signed out; brought up by one sync when the vault was
// just unlocked and the connection is not up yet.
import { AppError } from '../errors';
import type { ApiClient } from '../api/client';
import type { SyncRecord } from '../vault/db';
import type { VaultRepository } from '../vault/repository';
import type { SyncService } from './sync-types';

export async function connectedClient(repo: Pick<VaultRepository, 'sync'>, sync: SyncService): Promise<{ client: ApiClient; meta: SyncRecord } | undefined> {
  const meta = await repo.sync();
  if (!meta) return undefined;
  try {
    return { client: sync.api(), meta };
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'UNAUTHENTICATED') throw e;
    await sync.syncNow();
    return { client: sync.api(), meta };
  }
}
