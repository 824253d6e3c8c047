// Creates link shares in Node for the recipient tests, as a signed-in sender would: a real server
// (tests/e2e/server.ts), the tRPC client, and lib/sharing/link-format.ts for the keys. No extension.
import { randomBytes } from 'node:crypto';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '../../../server/routers/_app';
import { buildLink, linkUrl, type LinkEntry, type LinkProtection } from '../../../lib/sharing/link-format';

const b64 = (n: number) => randomBytes(n).toString('base64url');

export type Sender = Awaited<ReturnType<typeof signUpSender>>;

export async function signUpSender(serverUrl: string, username = `sender${randomBytes(3).toString('hex')}`) {
  const anon = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${serverUrl}/trpc` })] });
  const { token, userId } = await anon.account.register.mutate({
    username,
    email: `${username}@example.com`,
    authKey: b64(32),
    salt: b64(16),
    kdf: { algorithm: 'argon2id', memoryKiB: 65536, passes: 3, lanes: 4 },
    wrappedUserKey: b64(72),
    identity: { boxPublicKey: b64(32), signingPublicKey: b64(32), sealedPrivateKeys: b64(120) },
  });
  const api = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${serverUrl}/trpc`, headers: { authorization: `Bearer ${token}` } })] });
  return { username, userId, api, serverUrl };
}

export interface CreatedLink {
  id: string;
  url: string;
  secret: string;
}

export async function createLink(
  sender: Sender,
  options: { entries: LinkEntry[]; title: string; protection: LinkProtection; maxUses?: number; expiresInMs?: number; maxAttempts?: number; emails?: string[] },
): Promise<CreatedLink> {
  const recordIds: string[] = [];
  for (let i = 0; i < options.entries.length; i++) {
    const id = b64(16);
    // The sender's personal vault is the container whose id is theirs.
    await sender.api.vault.put.mutate({ container: sender.userId, keyEpoch: 0, id, baseRevision: 0, data: b64(64) });
    recordIds.push(id);
  }
  const built = await buildLink({ entries: options.entries, meta: { title: options.title, senderName: 'Ana Sender' }, protection: options.protection });
  await sender.api.links.create.mutate({
    ...built.request,
    maxUses: options.maxUses ?? 1,
    expiresAt: Date.now() + (options.expiresInMs ?? 3600_000),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    recordIds,
    ...(options.emails ? { emails: options.emails } : {}),
  });
  const url = linkUrl(sender.serverUrl, built.id, built.secret);
  return { id: built.id, url, secret: url.split('#')[1]! };
}
