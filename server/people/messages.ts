// Messages: sealed envelopes (and an optional small sealed header for lists) from one connected
// person to another. The server stores and relays ciphertext only; each side deletes its own copy;
// a message is charged to the sender's storage quota until both copies are deleted, so nobody can
// fill another's quota. Every query is scoped to the session's user as sender or recipient.
import { sql } from 'kysely';
import { isUniqueViolation } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { ServerError } from '../errors.ts';
import { rateLimited, reserveAttempt } from '../rate-limit.ts';
import { bumpPeopleSeq, messageNotFound, notConnected, notifyPeople } from './common.ts';
import { lockConnection } from './connections.ts';
import { notifyNewMessage } from './mail.ts';

/** The sealed message, decoded (PEOPLE-API.md): larger is TOO_LARGE. */
export const MESSAGE_MAX_ENVELOPE_BYTES = 512 * 1024;
/** The sealed header the lists return. */
export const MESSAGE_MAX_HEADER_BYTES = 4 * 1024;
/** What a message costs beyond its ciphertext and id (row, indexes), for the sender's quota. */
export const MESSAGE_OVERHEAD_BYTES = 128;
export const MESSAGE_MAX_ENVELOPE_CHARS = Math.ceil((MESSAGE_MAX_ENVELOPE_BYTES * 4) / 3);

export interface SendInput {
  id: string;
  recipientId: string;
  header: string | null;
  envelope: string;
}

export interface MessageSummary {
  id: string;
  peer: { userId: string; username: string };
  direction: 'in' | 'out';
  createdAt: number;
  readAt: number | null;
  header: string | null;
  size: number;
}

type StoredBody = { sender_id: string; recipient_id: string; header: string | null; envelope: string };
const sameMessage = (row: StoredBody, userId: string, input: SendInput) =>
  row.sender_id === userId && row.recipient_id === input.recipientId && row.header === input.header && row.envelope === input.envelope;

/** messages.send */
export async function sendMessage(deps: Deps, userId: string, input: SendInput): Promise<{ id: string; createdAt: number }> {
  if (input.envelope.length > MESSAGE_MAX_ENVELOPE_CHARS) {
    throw new ServerError('TOO_LARGE', 'This message is larger than 512 KiB. Send fewer entries at once, or leave their notes out.', {
      reason: 'message-size',
      limitBytes: MESSAGE_MAX_ENVELOPE_BYTES,
    });
  }
  if (input.recipientId === userId) throw notConnected();
  const now = deps.now();
  const size = input.envelope.length + (input.header?.length ?? 0) + input.id.length + MESSAGE_OVERHEAD_BYTES;
  const { db } = deps.database;
  const quota = deps.config.storageQuotaBytes;
  let result: { createdAt: number; fresh: boolean; sender: string };
  try {
    result = await db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('messages').select(['sender_id', 'recipient_id', 'header', 'envelope', 'created_at']).where('id', '=', input.id).executeTakeFirst();
      if (existing) {
        const same = sameMessage(existing, userId, input);
        // A retry whose answer was lost: the first answer again, nothing new.
        if (same) return { createdAt: existing.created_at, fresh: false, sender: '' };
        throw new ServerError('CONFLICT', 'A message with this id exists already. Send it again (it gets a new id).');
      }
      await lockConnection(trx, deps, userId, input.recipientId);
      const slot = await reserveAttempt(trx, `message-send:${userId}`, deps.config.peopleLimits.sendPerAccount, now);
      if (!slot.allowed) throw rateLimited('You sent many messages in a short time.', slot.retryAfterMs);
      const room = await trx
        .updateTable('users')
        .set({ storage_used: sql<number>`storage_used + ${size}`, people_seq: sql<number>`people_seq + 1` })
        .where('id', '=', userId)
        .where(sql<boolean>`storage_used + ${size} <= ${quota}`)
        .returning('username')
        .executeTakeFirst();
      if (!room) {
        const used = await trx.selectFrom('users').select('storage_used').where('id', '=', userId).executeTakeFirstOrThrow();
        throw new ServerError('TOO_LARGE', 'This message would take your account past its storage quota. Nothing was sent. Delete messages or entries you no longer need, then try again.', {
          reason: 'quota',
          usedBytes: Number(used.storage_used),
          limitBytes: quota,
          neededBytes: size,
        });
      }
      await trx
        .insertInto('messages')
        .values({ id: input.id, sender_id: userId, recipient_id: input.recipientId, header: input.header, envelope: input.envelope, size, created_at: now, read_at: null })
        .execute();
      await bumpPeopleSeq(trx, [input.recipientId]);
      return { createdAt: now, fresh: true, sender: room.username };
    });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    // The same id committed by a simultaneous call: the first answer if it was this very message.
    const first = await db.selectFrom('messages').select(['sender_id', 'recipient_id', 'header', 'envelope', 'created_at']).where('id', '=', input.id).executeTakeFirst();
    if (first && sameMessage(first, userId, input)) {
      return { id: input.id, createdAt: first.created_at };
    }
    throw new ServerError('CONFLICT', 'A message with this id exists already. Send it again (it gets a new id).');
  }
  if (result.fresh) {
    await notifyPeople(deps, [userId, input.recipientId]);
    notifyNewMessage(deps, input.recipientId, result.sender);
  }
  return { id: input.id, createdAt: result.createdAt };
}

const CURSOR = /^(\d{1,15}):([A-Za-z0-9_-]{16,64})$/;
export const PAGE_CURSOR_PATTERN = CURSOR;

/** messages.inbox / messages.sent: newest first, pages by an opaque (created_at, id) cursor. */
export async function listMessages(
  deps: Deps,
  userId: string,
  direction: 'in' | 'out',
  before: string | null,
  limit: number,
): Promise<{ messages: MessageSummary[]; next: string | null }> {
  const mine = direction === 'in' ? 'messages.recipient_id' : 'messages.sender_id';
  const peer = direction === 'in' ? 'messages.sender_id' : 'messages.recipient_id';
  const deleted = direction === 'in' ? 'messages.recipient_deleted' : 'messages.sender_deleted';
  let query = deps.database.db
    .selectFrom('messages')
    .innerJoin('users', 'users.id', peer)
    .select(['messages.id', 'messages.created_at', 'messages.read_at', 'messages.header', 'messages.size', 'users.id as peer_id', 'users.username'])
    .where(mine, '=', userId)
    .where(deleted, '=', 0);
  const at = before ? CURSOR.exec(before) : null;
  if (at) {
    const time = Number(at[1]);
    const id = at[2]!;
    query = query.where((eb) => eb.or([eb('messages.created_at', '<', time), eb.and([eb('messages.created_at', '=', time), eb('messages.id', '<', id)])]));
  }
  const rows = await query.orderBy('messages.created_at', 'desc').orderBy('messages.id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    messages: page.map((r) => ({
      id: r.id,
      peer: { userId: r.peer_id, username: r.username },
      direction,
      createdAt: r.created_at,
      // The sender is not told when (or whether) the recipient read it.
      readAt: direction === 'in' ? r.read_at : null,
      header: r.header,
      size: Number(r.size),
    })),
    next: rows.length > limit && last ? `${last.created_at}:${last.id}` : null,
  };
}

/** messages.get: one message with its envelope, for whichever side still has its copy. */
export async function getMessage(deps: Deps, userId: string, id: string): Promise<{ message: MessageSummary & { envelope: string } }> {
  const row = await deps.database.db
    .selectFrom('messages')
    .selectAll()
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb.and([eb('sender_id', '=', userId), eb('sender_deleted', '=', 0)]),
        eb.and([eb('recipient_id', '=', userId), eb('recipient_deleted', '=', 0)]),
      ]),
    )
    .executeTakeFirst();
  if (!row) throw messageNotFound();
  const direction = row.recipient_id === userId ? 'in' : 'out';
  const peerId = direction === 'in' ? row.sender_id : row.recipient_id;
  const peer = await deps.database.db.selectFrom('users').select('username').where('id', '=', peerId).executeTakeFirstOrThrow();
  return {
    message: {
      id: row.id,
      peer: { userId: peerId, username: peer.username },
      direction,
      createdAt: row.created_at,
      readAt: direction === 'in' ? row.read_at : null,
      header: row.header,
      size: Number(row.size),
      envelope: row.envelope,
    },
  };
}

/** messages.markRead: all of them in my inbox, or NOT_FOUND and nothing marked. */
export async function markRead(deps: Deps, userId: string, ids: string[]): Promise<{ readAt: number }> {
  const wanted = [...new Set(ids)];
  const now = deps.now();
  const changed = await deps.database.db.transaction().execute(async (trx) => {
    const found = await trx.selectFrom('messages').select(['id', 'read_at']).where('id', 'in', wanted).where('recipient_id', '=', userId).where('recipient_deleted', '=', 0).execute();
    if (found.length !== wanted.length) throw messageNotFound();
    if (found.every((r) => r.read_at !== null)) return false;
    await trx.updateTable('messages').set({ read_at: now }).where('id', 'in', wanted).where('recipient_id', '=', userId).where('read_at', 'is', null).execute();
    await bumpPeopleSeq(trx, [userId]);
    return true;
  });
  if (changed) await notifyPeople(deps, [userId]);
  return { readAt: now };
}

/** messages.delete: my copy only; when both copies are gone the row goes and the sender gets the room back. */
export async function deleteMessage(deps: Deps, userId: string, id: string): Promise<Record<string, never>> {
  const now = deps.now();
  await deps.database.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('messages').select(['sender_id', 'recipient_id']).where('id', '=', id).executeTakeFirst();
    const side = row?.sender_id === userId ? 'sender' : row?.recipient_id === userId ? 'recipient' : null;
    if (!side) throw messageNotFound();
    // One atomic update per side (it locks the row), so two deletes at once still free it once.
    const updated = await trx
      .updateTable('messages')
      .set(side === 'sender' ? { sender_deleted: 1 } : { recipient_deleted: 1, read_at: sql<number>`coalesce(read_at, ${now})` })
      .where('id', '=', id)
      .where(side === 'sender' ? 'sender_id' : 'recipient_id', '=', userId)
      .where(side === 'sender' ? 'sender_deleted' : 'recipient_deleted', '=', 0)
      .returning(['sender_id', 'sender_deleted', 'recipient_deleted', 'size'])
      .executeTakeFirst();
    if (!updated) throw messageNotFound();
    if (updated.sender_deleted === 1 && updated.recipient_deleted === 1) {
      const gone = await trx.deleteFrom('messages').where('id', '=', id).executeTakeFirst();
      if (Number(gone.numDeletedRows) === 1) {
        await trx
          .updateTable('users')
          .set({ storage_used: sql<number>`case when storage_used > ${updated.size} then storage_used - ${updated.size} else 0 end` })
          .where('id', '=', updated.sender_id)
          .execute();
      }
    }
    await bumpPeopleSeq(trx, [userId]);
  });
  await notifyPeople(deps, [userId]);
  return {};
}

/** messages.unreadCount */
export async function unreadCount(deps: Deps, userId: string): Promise<{ unread: number }> {
  const row = await deps.database.db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('recipient_id', '=', userId)
    .where('read_at', 'is', null)
    .where('recipient_deleted', '=', 0)
    .executeTakeFirstOrThrow();
  return { unread: Number(row.n) };
}
