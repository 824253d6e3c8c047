// The vault behind the server benchmark: an account seeded with real sealed entry records through
// the API, and the requests a device makes to read it (the idle poll, container pages).
import { randomBytes } from 'node:crypto';
import { generateKey } from '../../lib/crypto/keys';
import { emptyEntryFields } from '../../lib/model/entry';
import { sealEntry } from '../../lib/vault/entry-crypto';
import { encodeRecord } from '../../lib/vault/record-codec';
import { generateEntries } from '../lib/entries';

export const PAGE_LIMIT = 1000; // what lib/background/sync-service asks for

interface Sealed {
  id: string;
  data: string;
}

let sealedCache: Sealed[] = [];

/** Real sealed entry records (lib/vault), encoded as the extension sends them (record-codec). */
export function sealedRecords(count: number): Sealed[] {
  if (sealedCache.length >= count) return sealedCache.slice(0, count);
  const key = generateKey();
  const t = Date.now();
  const more = generateEntries(count - sealedCache.length, 20261123, sealedCache.length).map((e) => {
    const id = randomBytes(16).toString('base64url');
    const fields = { ...emptyEntryFields(), title: e.title, username: e.username, password: e.password, urls: [e.url], notes: e.notes, tags: e.tags, folder: e.folder };
    return { id, data: encodeRecord(sealEntry(key, { id, revision: 1, container: 'personal', fields, createdAt: t, updatedAt: t })) };
  });
  sealedCache = [...sealedCache, ...more];
  return sealedCache.slice(0, count);
}

const b64 = (n: number) => randomBytes(n).toString('base64url');

async function trpc(url: string, path: string, input: unknown, token?: string): Promise<any> {
  const res = await fetch(`${url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { result?: { data: unknown }; error?: { message: string } };
  if (!res.ok || !body.result) throw new Error(`${path}: ${res.status} ${body.error?.message ?? ''}`);
  return body.result.data;
}

/** A new account with these records in its personal container, whose id is the user's. */
export async function seedAccount(url: string, records: Sealed[]): Promise<{ token: string; container: string; head: number; watermark: number }> {
  const username = `bench${b64(6).toLowerCase().replace(/[^a-z0-9]/g, '')}`;
  const { token, userId: container } = await trpc(url, 'account.register', {
    username,
    email: `${username}@example.org`,
    authKey: b64(32),
    salt: b64(16),
    kdf: { algorithm: 'argon2id', memoryKiB: 65536, passes: 3, lanes: 4 },
    wrappedUserKey: b64(72),
    identity: { boxPublicKey: b64(32), signingPublicKey: b64(32), sealedPrivateKeys: b64(200) },
  });
  let head = 0;
  for (let i = 0; i < records.length; i += 500) {
    const batch = records.slice(i, i + 500).map((r) => ({ id: r.id, baseRevision: 0, keyEpoch: 0, data: r.data }));
    ({ cursor: head } = await trpc(url, 'vault.putMany', { container, records: batch }, token));
  }
  const res = await fetch(idleUrl(url, 0), { headers: { authorization: `Bearer ${token}` } });
  const { result } = (await res.json()) as { result: { data: { cursor: number } } };
  return { token, container, head, watermark: result.data.cursor };
}

/** The idle poll: anything new since the watermark? */
export function idleUrl(base: string, watermark: number): string {
  return `${base}/trpc/vault.changes?input=${encodeURIComponent(JSON.stringify({ cursor: watermark }))}`;
}

/** A page of a container's records after its cursor. */
export function pageUrl(base: string, container: string, cursor: number): string {
  return `${base}/trpc/vault.containerChanges?input=${encodeURIComponent(JSON.stringify({ container, cursor, limit: PAGE_LIMIT }))}`;
}

export async function fullSync(base: string, token: string, container: string, expected: number): Promise<number> {
  const t0 = performance.now();
  let cursor = 0;
  let got = 0;
  for (;;) {
    const res = await fetch(pageUrl(base, container, cursor), { headers: { authorization: `Bearer ${token}` } });
    const { result } = (await res.json()) as { result: { data: { records: unknown[]; cursor: number; more: boolean } } };
    got += result.data.records.length;
    cursor = result.data.cursor;
    if (!result.data.more) break;
  }
  const ms = performance.now() - t0;
  if (got !== expected) throw new Error(`full sync returned ${got} records, expected ${expected}`);
  return ms;
}
