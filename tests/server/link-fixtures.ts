// Link-share inputs for the server suite. The server never checks the cryptography (it only keeps
// hashes of what it is given), so most tests use random values of the right sizes and check the
// counting; the "database dump" test builds a real link with lib/sharing/link-format.ts.
import { b64, recordId, type signUp } from './helpers.ts';

type Account = Awaited<ReturnType<typeof signUp>>;

export const HOUR = 60 * 60_000;

/** 16 random bytes, base64url: a link id. */
export const linkId = () => b64(16);

export interface TestLink {
  id: string;
  lookupTag: string;
  proof: string;
  serverShare: string;
  payload: string;
  recordId: string;
}

/** A record in the account's vault for a link to carry. */
export async function vaultRecord(account: Account): Promise<string> {
  const id = recordId();
  await account.api.vault.put({ container: account.userId, id, baseRevision: 0, keyEpoch: 0, data: b64(48) });
  return id;
}

export function linkInput(recordIds: string[], now: number, options: Partial<Record<string, unknown>> = {}) {
  const protection = (options.protection as string | undefined) ?? 'pin';
  return {
    id: linkId(),
    lookupTag: b64(32),
    proof: b64(32),
    serverShare: b64(32),
    meta: b64(90),
    payload: b64(400),
    protection,
    kdf: protection === 'none' ? null : { salt: b64(16), memoryKib: 65536, passes: 3, lanes: 4 },
    maxUses: 1,
    expiresAt: now + HOUR,
    recordIds,
    ...options,
  } as {
    id: string;
    lookupTag: string;
    proof: string;
    serverShare: string;
    meta: string;
    payload: string;
    protection: 'none' | 'pin' | 'passphrase';
    kdf: { salt: string; memoryKib: number; passes: number; lanes: number } | null;
    maxUses: number;
    expiresAt: number;
    maxAttempts?: number | null;
    recordIds: string[];
    emails?: string[];
  };
}

/** Create a link for `account` carrying a fresh record; returns what a recipient would send. */
export async function createTestLink(account: Account, now: number, options: Partial<Record<string, unknown>> = {}): Promise<TestLink> {
  const record = (options.recordIds as string[] | undefined)?.[0] ?? (await vaultRecord(account));
  const input = linkInput([record], now, options);
  await account.api.links.create(input);
  return { id: input.id, lookupTag: input.lookupTag, proof: input.proof, serverShare: input.serverShare, payload: input.payload, recordId: record };
}

/** What the pick-up page sends to reveal. */
export const revealOf = (link: TestLink, proof = link.proof) => ({ id: link.id, lookupTag: link.lookupTag, proof });
