// Link shares, the owner's side: create, list, revoke, and the one way a link ends (endLink), used
// by revocation, the last use, the last wrong attempt, expiry (the sweeper) and the deletion of an
// entry the link carries. Every query is scoped to the owner's id from the session; another user's
// link id is simply not found (SECURITY.md 21).
import { sql, type Kysely, type Transaction } from 'kysely';
import { addressKey } from '../client-address.ts';
import { isUniqueViolation } from '../db/index.ts';
import type { LinkState, Schema } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { ServerError } from '../errors.ts';
import { rateLimited, reserveAttempt } from '../rate-limit.ts';

const DAY = 24 * 60 * 60_000;
/** The longest a link may live (LINKS-API.md). */
export const LINK_MAX_LIFETIME_MS = 30 * DAY;
/** How long an ended link's row stays in "My link shares". */
export const LINK_ENDED_KEEP_MS = 30 * DAY;
/** What a link costs beyond its ciphertext (rows, hashes, indexes), for the storage quota. */
export const LINK_OVERHEAD_BYTES = 512;

export type LinkProtection = 'none' | 'pin' | 'passphrase';

export interface CreateLinkInput {
  id: string;
  lookupTag: string;
  proof: string;
  serverShare: string;
  meta: string;
  payload: string;
  protection: LinkProtection;
  kdf: { salt: string; memoryKib: number; passes: number; lanes: number } | null;
  maxUses: number;
  expiresAt: number;
  maxAttempts: number | null;
  recordIds: string[];
  emails?: string[];
}

export interface LinkSummary {
  id: string;
  createdAt: number;
  expiresAt: number;
  maxUses: number;
  uses: number;
  attempts: number;
  maxAttempts: number | null;
  protection: LinkProtection;
  recordIds: string[];
  restricted: boolean;
  lastOpenedAt: number | null;
  state: LinkState;
}

const bad = (message: string) => new ServerError('BAD_INPUT', message);

export const linkNotFound = () =>
  new ServerError('NOT_FOUND', 'This link does not open: it has ended (expired, used up or revoked) or never existed. Ask the sender for a new link.');

const ownLinkNotFound = () => new ServerError('NOT_FOUND', 'There is no such link share among yours.');

/**
 * Per-account limit on new links (the quota bounds their size; this, their number). Taken inside
 * the create transaction, so a refused link takes no slot.
 */
async function requireCreateSlot(trx: Transaction<Schema>, deps: Deps, userId: string, now: number): Promise<void> {
  const slot = await reserveAttempt(trx, `link-create:${userId}`, deps.config.linkLimits.createPerAccount, now);
  if (!slot.allowed) throw rateLimited('You created many link shares in a short time.', slot.retryAfterMs);
}

function checkOptions(input: CreateLinkInput, now: number): void {
  if (input.expiresAt <= now) throw bad('The expiry is in the past. Choose a time after now.');
  if (input.expiresAt > now + LINK_MAX_LIFETIME_MS) throw bad('A link can live at most 30 days. Choose an earlier expiry.');
  if ((input.protection === 'none') !== (input.kdf === null)) {
    throw bad(input.protection === 'none' ? 'A link without PIN or passphrase takes no key settings (kdf must be null).' : 'A PIN or passphrase link needs its key settings (kdf).');
  }
  if (input.protection === 'pin' && input.maxAttempts !== 3) throw bad('A PIN link allows exactly 3 wrong attempts (maxAttempts 3).');
  if (input.protection === 'passphrase' && (input.maxAttempts === null || input.maxAttempts < 3 || input.maxAttempts > 20)) {
    throw bad('A passphrase link allows 3 to 20 wrong attempts.');
  }
  if (input.protection === 'none' && input.maxAttempts !== null) throw bad('A link without PIN or passphrase has no attempt limit (maxAttempts must be null).');
}

/** links.create: the copy, its verifier and share under the pepper, its entries and addresses. */
export async function createLink(deps: Deps, userId: string, input: CreateLinkInput): Promise<{ id: string; createdAt: number }> {
  const now = deps.now();
  checkOptions(input, now);
  const recordIds = [...new Set(input.recordIds)];
  const emails = [...new Set((input.emails ?? []).map((e) => e.trim().toLowerCase()))];
  const { db } = deps.database;
  const keys = deps.linkKeys;
  const size = input.payload.length + input.meta.length + input.id.length + LINK_OVERHEAD_BYTES;
  try {
    await db.transaction().execute(async (trx) => {
      const present = await trx
        .selectFrom('vault_records')
        .select('id')
        // Links are made from the personal vault, the container whose id is the user's.
        .where('container_id', '=', userId)
        .where('id', 'in', recordIds)
        .where('deleted', '=', 0)
        .execute();
      if (present.length !== recordIds.length) {
        throw bad('Some of the entries in this link are not in your vault on the server. Sync, then create the link again.');
      }
      await requireCreateSlot(trx, deps, userId, now);
      // One statement checks and takes the room, so two links cannot both fit the last megabyte.
      const room = await trx
        .updateTable('users')
        .set({ storage_used: sql<number>`storage_used + ${size}` })
        .where('id', '=', userId)
        .where(sql<boolean>`storage_used + ${size} <= ${deps.config.storageQuotaBytes}`)
        .returning('storage_used')
        .executeTakeFirst();
      if (!room) {
        throw new ServerError(
          'TOO_LARGE',
          'This link would take your account past its storage quota. Nothing was saved. Revoke links you no longer need or delete entries, then try again.',
          { reason: 'quota', limitBytes: deps.config.storageQuotaBytes, neededBytes: size },
        );
      }
      await trx
        .insertInto('links')
        .values({
          id: input.id,
          user_id: userId,
          lookup_hash: keys.lookupHash(input.id, input.lookupTag),
          verifier: keys.verifier(input.id, input.proof),
          sealed_share: keys.sealShare(input.id, input.serverShare),
          meta: input.meta,
          payload: input.payload,
          protection: input.protection,
          kdf_salt: input.kdf?.salt ?? null,
          kdf_memory_kib: input.kdf?.memoryKib ?? null,
          kdf_passes: input.kdf?.passes ?? null,
          kdf_lanes: input.kdf?.lanes ?? null,
          max_uses: input.maxUses,
          max_attempts: input.maxAttempts,
          restricted: emails.length > 0 ? 1 : 0,
          state: 'active',
          size,
          created_at: now,
          expires_at: input.expiresAt,
        })
        .execute();
      await trx.insertInto('link_records').values(recordIds.map((record_id) => ({ link_id: input.id, user_id: userId, record_id }))).execute();
      if (emails.length > 0) {
        await trx.insertInto('link_emails').values(emails.map((e) => ({ link_id: input.id, email_hash: keys.emailHash(input.id, e) }))).execute();
      }
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new ServerError('CONFLICT', 'A link with this id exists already. Create the link again (it gets a new id).');
    throw e;
  }
  return { id: input.id, createdAt: now };
}

/** links.list: every link of the owner, newest first; the ended ones until they are purged. */
export async function listLinks(deps: Deps, userId: string): Promise<LinkSummary[]> {
  const { db } = deps.database;
  const now = deps.now();
  const rows = await db
    .selectFrom('links')
    .select(['id', 'created_at', 'expires_at', 'max_uses', 'uses', 'attempts', 'max_attempts', 'protection', 'restricted', 'last_opened_at', 'state'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  const records = new Map<string, string[]>();
  if (rows.length > 0) {
    const links = await db.selectFrom('link_records').select(['link_id', 'record_id']).where('user_id', '=', userId).orderBy('record_id').execute();
    for (const r of links) records.set(r.link_id, [...(records.get(r.link_id) ?? []), r.record_id]);
  }
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    maxUses: r.max_uses,
    uses: r.uses,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    protection: r.protection,
    recordIds: records.get(r.id) ?? [],
    restricted: r.restricted === 1,
    lastOpenedAt: r.last_opened_at,
    // Expired but not yet swept: it already does not open (the server's clock decides).
    state: r.state === 'active' && r.expires_at <= now ? 'expired' : r.state,
  }));
}

/**
 * Ends an active link at once: the copy (meta, payload), the verifier, the server share and the
 * addresses go; the row stays with its counters. Gives back its storage and bumps the owner's
 * link_seq. Returns the owner's id, or null when the link was not active (someone else ended it).
 */
export async function endLink(db: Kysely<Schema> | Transaction<Schema>, id: string, state: Exclude<LinkState, 'active'>, now: number): Promise<string | null> {
  const run = async (trx: Kysely<Schema>) => {
    const row = await trx
      .updateTable('links')
      .set({ state, verifier: null, sealed_share: null, meta: null, payload: null, ended_at: now })
      .where('id', '=', id)
      .where('state', '=', 'active')
      .returning(['user_id', 'size'])
      .executeTakeFirst();
    if (!row) return null;
    await trx.deleteFrom('link_emails').where('link_id', '=', id).execute();
    await trx
      .updateTable('users')
      .set({
        storage_used: sql<number>`case when storage_used > ${row.size} then storage_used - ${row.size} else 0 end`,
        link_seq: sql<number>`link_seq + 1`,
      })
      .where('id', '=', row.user_id)
      .execute();
    return row.user_id;
  };
  return db.isTransaction ? run(db) : (db as Kysely<Schema>).transaction().execute(run);
}

/** Tell the owner's live streams (every process) that their links moved. */
export async function notifyLinks(deps: Deps, userId: string): Promise<void> {
  await deps.database.feed.linksChanged(deps.database.db, userId);
}

/** A counted reveal or wrong attempt (not an end): bump link_seq so the sender hears of it. */
export async function bumpLinkSeq(deps: Deps, userId: string): Promise<void> {
  await deps.database.db.updateTable('users').set({ link_seq: sql<number>`link_seq + 1` }).where('id', '=', userId).execute();
  await notifyLinks(deps, userId);
}

/** links.revoke. Revoking an ended link of yours changes nothing; another user's id is NOT_FOUND. */
export async function revokeLink(deps: Deps, userId: string, id: string): Promise<void> {
  const { db } = deps.database;
  const owned = await db.selectFrom('links').select('state').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  if (!owned) throw ownLinkNotFound();
  if (await endLink(db, id, 'revoked', deps.now())) await notifyLinks(deps, userId);
}

/** Inside a vault write that deletes records: the links carrying any of them end (as revoked). */
export async function endLinksOfRecords(trx: Transaction<Schema>, userId: string, recordIds: string[], now: number): Promise<number> {
  if (recordIds.length === 0) return 0;
  const links = await trx
    .selectFrom('link_records')
    .innerJoin('links', 'links.id', 'link_records.link_id')
    .select('links.id')
    .distinct()
    .where('link_records.user_id', '=', userId)
    .where('link_records.record_id', 'in', recordIds)
    .where('links.state', '=', 'active')
    .execute();
  let ended = 0;
  for (const { id } of links) if (await endLink(trx, id, 'revoked', now)) ended++;
  return ended;
}

/** For the owner's own link: the one the sendEmail call names must be theirs and still open. */
export async function requireOwnActiveLink(deps: Deps, userId: string, id: string) {
  const row = await deps.database.db
    .selectFrom('links')
    .select(['id', 'protection', 'expires_at', 'state', 'max_uses', 'uses'])
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) throw ownLinkNotFound();
  if (row.state !== 'active' || row.expires_at <= deps.now() || row.uses >= row.max_uses) {
    throw new ServerError('NOT_FOUND', 'This link share has ended, so it cannot be emailed. Create a new link.');
  }
  return row;
}

/** The sweeper's part: end expired links (deleting their copy), purge rows ended 30 days ago. */
export async function sweepLinks(deps: Deps): Promise<{ expired: number; purged: number }> {
  const { db } = deps.database;
  const now = deps.now();
  const due = await db.selectFrom('links').select('id').where('state', '=', 'active').where('expires_at', '<=', now).limit(1000).execute();
  const owners = new Set<string>();
  let expired = 0;
  for (const { id } of due) {
    const owner = await endLink(db, id, 'expired', now);
    if (owner) {
      owners.add(owner);
      expired++;
    }
  }
  for (const owner of owners) await notifyLinks(deps, owner);
  const purged = await db.deleteFrom('links').where('ended_at', '<=', now - LINK_ENDED_KEEP_MS).executeTakeFirst();
  return { expired, purged: Number(purged.numDeletedRows) };
}

/** Per-address key for the pick-up limits. */
export const pickupAddressKey = (ip: string) => `link-pickup:${addressKey(ip)}`;
