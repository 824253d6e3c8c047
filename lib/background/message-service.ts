// Messages (issue 13): copies of entries with a note, sealed to the recipient's pinned key and
// signed by me (lib/crypto/message.ts); the inbox and Sent log; opening checks the signature
// against the sender's pinned key, and only a verified message can be saved into my vault.
import { fromBase64Url, toBase64Url } from '../crypto/encoding';
import { openMessage, sealMessage } from '../crypto/message';
import { AppError } from '../errors';
import { t } from '../i18n';
import type { MessageListItem, MessageView, SendRequest } from '../messages/message-protocol';
import type { MessageRouter } from '../messages/router';
import { copyOf, decodePayload, encodePayload, generateMessageId, MESSAGE_MAX_ENTRIES, MESSAGE_NOTE_MAX, noteLength } from '../sharing/message-format';
import type { VaultRepository } from '../vault/repository';
import { myIdentity, withPrivateKeys } from './identity-keys';
import { sharedToFields } from './link-pickup';
import { remote, type PeopleService } from './people-service';
import type { PeopleServer, ServerMessageSummary } from './people-types';
import type { SessionService, VaultService } from './types';

/** The server's limit for one message's envelope (PEOPLE-API.md), in bytes. */
export const MESSAGE_MAX_BYTES = 512 * 1024;
const MAX_FOLDER = 200;

export interface MessageDeps {
  router: MessageRouter;
  session: SessionService;
  vault: VaultService;
  repo: Pick<VaultRepository, 'account' | 'sync'>;
  people: PeopleService;
  server: () => Promise<PeopleServer | undefined>;
  /** Shows the number of unread messages on the toolbar button (0: nothing). */
  badge?: (unread: number) => void;
  changed?: () => void;
  now?: () => number;
}

export interface MessageService {
  /** Refreshes the unread count (the badge) after the server said something changed. */
  refreshUnread(): Promise<void>;
}

export function createMessageService(deps: MessageDeps): MessageService {
  const { router, session, vault, repo, people } = deps;
  const now = deps.now ?? (() => Date.now());

  async function server(): Promise<PeopleServer> {
    const s = await deps.server();
    if (!s) throw new AppError('UNAUTHENTICATED', t('peopleErrorNoAccount'));
    return s;
  }

  const item = (m: ServerMessageSummary): MessageListItem => ({ id: m.id, peer: { userId: m.peer.userId, username: m.peer.username }, direction: m.direction, createdAt: m.createdAt, readAt: m.readAt });

  async function send(req: SendRequest): Promise<{ id: string }> {
    const note = typeof req?.note === 'string' ? req.note : '';
    if (noteLength(note) > MESSAGE_NOTE_MAX) throw new AppError('BAD_INPUT', t('messageErrorNoteTooLong', MESSAGE_NOTE_MAX));
    const ids = Array.isArray(req?.entryIds) ? [...new Set(req.entryIds)] : [];
    if (ids.length === 0) throw new AppError('BAD_INPUT', t('messageErrorNoEntries'));
    if (ids.length > MESSAGE_MAX_ENTRIES) throw new AppError('BAD_INPUT', t('messageErrorTooManyEntries', MESSAGE_MAX_ENTRIES));
    const me = await myIdentity(repo, session);
    const { messages } = await server();
    // Refused here, before anything is sealed or sent, when they are not connected or their key changed.
    const pinned = await people.sendable(req.recipientId);
    const entries = [];
    for (const id of ids) entries.push(copyOf(await vault.get(id), req.includeNotes === true));
    const id = generateMessageId();
    const plaintext = encodePayload({ v: 1, note, entries, sentAt: now() });
    const sealed = await withPrivateKeys(me, (identity) =>
      sealMessage({
        id,
        senderId: me.account.userId,
        recipientId: pinned.userId,
        plaintext,
        recipientBoxKey: fromBase64Url(pinned.boxPublicKey),
        senderBoxKey: me.account.boxPublicKey,
        senderSigningKey: identity.signing.privateKey,
      }),
    );
    plaintext.fill(0);
    if (sealed.length > MESSAGE_MAX_BYTES) throw new AppError('TOO_LARGE', t('messageErrorTooLarge'));
    await remote(() => messages.send({ id, recipientId: pinned.userId, header: null, envelope: toBase64Url(sealed) }));
    deps.changed?.();
    return { id };
  }

  async function open(id: string): Promise<MessageView> {
    const me = await myIdentity(repo, session);
    const { messages } = await server();
    const m = await remote(() => messages.get(id));
    const base = item(m);
    const incoming = m.direction === 'in';
    const senderId = incoming ? m.peer.userId : me.account.userId;
    const recipientId = incoming ? me.account.userId : m.peer.userId;
    const senderKey = incoming ? (await people.pinned(m.peer.userId))?.signingPublicKey : toBase64Url(me.account.signingPublicKey);
    let view: MessageView;
    if (!senderKey) {
      view = { ...base, verified: false, problem: t('messageErrorNoPinnedKey', m.peer.username) };
    } else {
      try {
        const plaintext = await withPrivateKeys(me, (identity) =>
          openMessage({
            id: m.id,
            senderId,
            recipientId,
            sealed: fromBase64Url(m.envelope),
            as: incoming ? 'recipient' : 'sender',
            boxPrivateKey: identity.box.privateKey,
            boxPublicKey: me.account.boxPublicKey,
            senderSigningKey: fromBase64Url(senderKey),
          }),
        );
        const payload = decodePayload(plaintext);
        plaintext.fill(0);
        view = payload ? { ...base, verified: true, note: payload.note, entries: payload.entries } : { ...base, verified: false, problem: t('messageErrorUnverified') };
      } catch (e) {
        if (!(e instanceof AppError) || e.code !== 'DECRYPT_FAILED') throw e;
        view = { ...base, verified: false, problem: t('messageErrorUnverified') };
      }
    }
    if (incoming && m.readAt === null) {
      await remote(() => messages.markRead([m.id])).catch(() => undefined);
      view = { ...view, readAt: now() };
      void refreshUnread();
    }
    return view;
  }

  async function unread(): Promise<number> {
    const { messages } = await server();
    return remote(() => messages.unreadCount());
  }

  async function refreshUnread(): Promise<void> {
    if (session.state() !== 'unlocked') return;
    const n = await unread().catch(() => undefined);
    if (n !== undefined) deps.badge?.(n);
  }

  router.on('messages.send', (req) => send(req));
  router.on('messages.list', async ({ box, before }) => {
    session.userKey();
    const { messages } = await server();
    const [page, count] = await Promise.all([remote(() => messages.list(box === 'out' ? 'out' : 'in', before ?? null)), remote(() => messages.unreadCount())]);
    deps.badge?.(count);
    return { messages: page.messages.map(item), next: page.next, unread: count };
  });
  router.on('messages.open', ({ id }) => open(id));
  router.on('messages.save', async ({ id, folder }) => {
    const f = typeof folder === 'string' ? folder.trim() : '';
    if (f.length > MAX_FOLDER) throw new AppError('BAD_INPUT', t('pickupErrorFolder', MAX_FOLDER));
    const view = await open(id);
    // Only what verified against the sender's pinned key goes into the vault.
    if (!view.verified) throw new AppError('DECRYPT_FAILED', view.problem);
    const saved = await vault.writeBatch(view.entries.map((e) => ({ fields: sharedToFields(e, f) })));
    return { saved: saved.length };
  });
  router.on('messages.delete', async ({ id }) => {
    session.userKey();
    const { messages } = await server();
    await remote(() => messages.delete(id));
    deps.changed?.();
    void refreshUnread();
  });

  session.onUnlock(() => void refreshUnread());
  session.onLock(() => deps.badge?.(0));

  return { refreshUnread };
}
