// The link shares this device created, each sealed with the user key: the link's secret, its
// server and what it holds never touch storage in the clear (DESIGN.md "Link-share keys").
import { z } from 'zod';
import { associatedData } from '../crypto/ad';
import { open, seal } from '../crypto/aead';
import { fromUtf8, utf8 } from '../crypto/encoding';
import type { VaultDb } from './db';

export const storedLinkSchema = z.object({
  v: z.literal(1),
  id: z.string().min(1).max(64),
  /** The link's secret, base64url, as in the URL fragment. */
  secret: z.string().min(1).max(128),
  serverUrl: z.string().min(1),
  title: z.string(),
  entryIds: z.array(z.string()),
  entryTitles: z.array(z.string()),
  createdAt: z.number(),
  /** Uses plus wrong attempts the person has already seen in "My link shares". */
  seenOpens: z.number().int().min(0),
});
export type StoredLink = z.infer<typeof storedLinkSchema>;

const ad = (id: string) => associatedData({ kind: 'link-record', id });

export interface LinkRows {
  /** Every link that opens with this key; rows that do not are left out (and left alone). */
  all(userKey: Uint8Array): Promise<StoredLink[]>;
  get(userKey: Uint8Array, id: string): Promise<StoredLink | undefined>;
  put(userKey: Uint8Array, link: StoredLink): Promise<void>;
  putMany(userKey: Uint8Array, links: StoredLink[]): Promise<void>;
  remove(id: string): Promise<void>;
}

export function createLinkRows(db: VaultDb): LinkRows {
  const openRow = (userKey: Uint8Array, row: { id: string; sealed: Uint8Array }): StoredLink | undefined => {
    try {
      const link = storedLinkSchema.parse(JSON.parse(fromUtf8(open(userKey, row.sealed, ad(row.id)))));
      return link.id === row.id ? link : undefined;
    } catch {
      return undefined;
    }
  };
  const row = (userKey: Uint8Array, link: StoredLink) => ({ id: link.id, createdAt: link.createdAt, sealed: seal(userKey, utf8(JSON.stringify(link)), ad(link.id)) });
  return {
    async all(userKey) {
      const rows = await db.links.toArray();
      return rows.flatMap((r) => openRow(userKey, r) ?? []);
    },
    async get(userKey, id) {
      const r = await db.links.get(id);
      return r ? openRow(userKey, r) : undefined;
    },
    async put(userKey, link) {
      await db.links.put(row(userKey, link));
    },
    async putMany(userKey, links) {
      if (links.length > 0) await db.links.bulkPut(links.map((l) => row(userKey, l)));
    },
    async remove(id) {
      await db.links.delete(id);
    },
  };
}
