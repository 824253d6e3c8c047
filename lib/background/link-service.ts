// Link shares, the sender's side (issue 12): builds a link from entries (lib/sharing/link-format.ts,
// Argon2id here rather than in the popup), registers it with the server, and keeps each link's
// secret, title and entries sealed in the vault so "Copy the link again" works. The list merges
// what the server counts (uses, attempts, state) with what only this device knows (titles, secret).
import { z } from 'zod';
import { apiError, type ApiOutputs } from '../api/client';
import { AppError } from '../errors';
import { t } from '../i18n';
import { LINK_NOTE_MAX, LINK_SENDER_NAME_MAX, type LinkShareView } from '../messages/link-protocol';
import type { MessageRouter } from '../messages/router';
import type { Entry } from '../model/entry';
import { attemptsFor, EMAIL_PATTERN, validateLinkRequest } from '../sharing/link-options';
import { buildLink, linkUrl } from '../sharing/link-format';
import { fromBase64Url, toBase64Url } from '../crypto/encoding';
import { DEFAULT_KDF } from '../crypto/kdf';
import type { LinkRows, StoredLink } from '../vault/link-rows';
import { saveSharedEntries } from './link-pickup';
import type { SessionService, VaultService } from './types';

/** A link as the server lists it (links.list). */
export type ServerLink = ApiOutputs['links']['list'][number];

/** The part of the server's API link shares use (lib/background/link-api.ts adapts the tRPC client). */
export interface LinksApi {
  create(input: Record<string, unknown>): Promise<{ id: string; createdAt: number }>;
  list(): Promise<ServerLink[]>;
  revoke(id: string): Promise<void>;
  sendEmail(input: { id: string; to: string; senderName: string; note: string; url: string }): Promise<void>;
}

export interface LinkServer {
  /** The server's origin, e.g. http://127.0.0.1:8787: the pick-up page lives there. */
  origin: string;
  api: LinksApi;
  /** The signed-in account's username: the pick-up page shows it as who sent the link. */
  username?: string;
}

export interface LinkDeps {
  router: MessageRouter;
  session: SessionService;
  vault: VaultService;
  links: LinkRows;
  /** The server this vault syncs with; undefined when it has no account. */
  server: () => Promise<LinkServer | undefined>;
  /** The synced server's address without connecting (pick-up pages live there). */
  origin?: () => Promise<string | undefined>;
  /** Shows how many links were opened since the person last looked (empty: nothing new). */
  badge?: (text: string) => void;
  /** Tells open extension pages that the list changed. */
  changed?: () => void;
  now?: () => number;
}

/** Ended links keep their sealed record this long after the server stopped listing them. */
const FORGET_AFTER_MS = 60_000;

async function remote<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    const err = apiError(e);
    if (err.code === 'NETWORK') throw new AppError('NETWORK', t('linkErrorUnreachable'), { cause: e });
    if (err.code === 'UNAUTHENTICATED') throw new AppError('UNAUTHENTICATED', t('linkErrorSignedOut'), { cause: e });
    throw err;
  }
}

const opens = (l: Pick<ServerLink, 'uses' | 'attempts'>) => l.uses + l.attempts;

export function createLinkService(deps: LinkDeps) {
  const { router, session, vault, links } = deps;
  const now = deps.now ?? (() => Date.now());
  let latest: ServerLink[] = [];

  async function server(): Promise<LinkServer> {
    const s = await deps.server();
    if (!s) throw new AppError('UNAUTHENTICATED', t('linkErrorNoAccount'));
    return s;
  }

  async function stored(id: string): Promise<StoredLink> {
    const link = await links.get(session.userKey(), id);
    if (!link) throw new AppError('NOT_FOUND', t('linkErrorNotHere'));
    return link;
  }

  function view(s: ServerLink, mine: StoredLink | undefined): LinkShareView {
    return {
      id: s.id,
      title: mine?.title ?? t('linkOtherDevice'),
      entryTitles: mine?.entryTitles ?? [],
      createdAt: s.createdAt,
      expiresAt: s.expiresAt,
      maxUses: s.maxUses,
      uses: s.uses,
      attempts: s.attempts,
      maxAttempts: s.maxAttempts,
      protection: s.protection,
      restricted: s.restricted,
      lastOpenedAt: s.lastOpenedAt,
      state: s.state,
      canCopy: !!mine && s.state === 'active',
      unseen: opens(s) > (mine?.seenOpens ?? opens(s)),
    };
  }

  async function list(): Promise<LinkShareView[]> {
    const userKey = session.userKey();
    const { api } = await server();
    latest = await remote(() => api.list());
    const mine = new Map((await links.all(userKey)).map((l) => [l.id, l]));
    // The server purged an ended link (or never had it): its sealed copy here goes too.
    for (const l of mine.values()) {
      if (!latest.some((s) => s.id === l.id) && now() - l.createdAt > FORGET_AFTER_MS) await links.remove(l.id);
    }
    const views = latest.map((s) => view(s, mine.get(s.id))).sort((a, b) => b.createdAt - a.createdAt);
    deps.badge?.(badgeText(views));
    return views;
  }

  const badgeText = (views: LinkShareView[]) => {
    const n = views.filter((v) => v.unseen).length;
    return n === 0 ? '' : String(n);
  };

  async function create(req: Parameters<typeof validateLinkRequest>[0]) {
    const errors = validateLinkRequest(req, now());
    const first = Object.values(errors)[0];
    if (first) throw new AppError('BAD_INPUT', first);
    const userKey = session.userKey();
    const { origin, api, username } = await server();
    const entries: Entry[] = [];
    for (const id of req.entryIds) entries.push(await vault.get(id));
    const title = req.title.trim();
    const built = await buildLink({
      entries: entries.map((e) => ({ title: e.title, username: e.username, password: e.password, urls: e.urls, ...(req.includeNotes && e.notes ? { notes: e.notes } : {}) })),
      // Who sent it, sealed with the title (the pick-up page shows it beside the server's word).
      meta: { title, ...(username ? { senderName: username } : {}) },
      protection: req.protection,
      kdf: DEFAULT_KDF,
    });
    const record: StoredLink = {
      v: 1,
      id: built.id,
      secret: toBase64Url(built.secret),
      serverUrl: origin,
      title,
      entryIds: [...req.entryIds],
      entryTitles: entries.map((e) => e.title),
      createdAt: now(),
      seenOpens: 0,
    };
    // Sealed before the server hears of it: a crash in between leaves a secret for a link that
    // does not exist (forgotten on the next list), never a link whose secret is lost.
    await links.put(userKey, record);
    try {
      await remote(() =>
        api.create({
          ...built.request,
          maxUses: req.maxUses,
          expiresAt: req.expiresAt,
          maxAttempts: attemptsFor(req),
          recordIds: [...req.entryIds],
          ...(req.emails.length > 0 ? { emails: req.emails } : {}),
        }),
      );
    } catch (e) {
      await links.remove(built.id);
      throw e;
    }
    deps.changed?.();
    return { id: built.id, url: linkUrl(origin, built.id, built.secret), title, expiresAt: req.expiresAt };
  }

  const sendEmailInput = z.object({
    id: z.string().min(1).max(64),
    to: z.string().trim().max(254).regex(EMAIL_PATTERN, { error: () => t('linkErrorRecipient') }),
    senderName: z.string().trim().max(LINK_SENDER_NAME_MAX, { error: () => t('linkErrorSenderName', LINK_SENDER_NAME_MAX) }),
    note: z.string().max(LINK_NOTE_MAX, { error: () => t('linkErrorNote', LINK_NOTE_MAX) }),
  });

  router.on('links.create', (req) => create(req));
  router.on('links.list', () => list());
  router.on('links.revoke', async ({ id }) => {
    session.userKey();
    const { api } = await server();
    await remote(() => api.revoke(id));
    deps.changed?.();
  });
  router.on('links.url', async ({ id }) => {
    const link = await stored(id);
    return { url: linkUrl(link.serverUrl, link.id, fromBase64Url(link.secret)) };
  });
  router.on('links.sendEmail', async (input) => {
    const parsed = sendEmailInput.safeParse(input);
    if (!parsed.success) throw new AppError('BAD_INPUT', parsed.error.issues[0]?.message ?? t('linkErrorRecipient'));
    const link = await stored(parsed.data.id);
    const { api } = await server();
    const url = linkUrl(link.serverUrl, link.id, fromBase64Url(link.secret));
    await remote(() => api.sendEmail({ ...parsed.data, url }));
  });
  router.on('links.seen', async () => {
    const userKey = session.userKey();
    const counts = new Map(latest.map((s) => [s.id, opens(s)]));
    const mine = await links.all(userKey);
    const changed = mine.filter((l) => counts.has(l.id) && counts.get(l.id) !== l.seenOpens).map((l) => ({ ...l, seenOpens: counts.get(l.id)! }));
    await links.putMany(userKey, changed);
    deps.badge?.('');
  });
  router.on('links.isPickup', async ({ url }) => {
    const origin = await (deps.origin ?? (async () => (await deps.server())?.origin))().catch(() => undefined);
    return !!origin && typeof url === 'string' && isPickupUrl(url, origin);
  });
  router.on('links.saveShared', (input) => saveSharedEntries(vault, input));

  return {
    /**
     * Ends every active link share that carries one of these entries (the entry went to the trash):
     * how many. Without an account there are none; throws when the server cannot be reached.
     */
    async endLinksOf(entryIds: string[]): Promise<number> {
      const s = await deps.server();
      if (!s) return 0;
      const all = await remote(() => s.api.list());
      const ending = all.filter((l) => l.state === 'active' && l.recordIds.some((id) => entryIds.includes(id)));
      for (const l of ending) await remote(() => s.api.revoke(l.id));
      if (ending.length > 0) deps.changed?.();
      return ending.length;
    },
    /** The server says something happened to one of my links: refresh the list and the badge. */
    async linksChanged(): Promise<void> {
      if (session.state() !== 'unlocked') return;
      await list().catch(() => undefined);
      deps.changed?.();
    },
  };
}

/** A pick-up page of this server: `<origin>/l/<22-character id>`. */
export function isPickupUrl(url: string, origin: string): boolean {
  try {
    const u = new URL(url);
    return u.origin === new URL(origin).origin && /^\/l\/[A-Za-z0-9_-]{22}\/?$/.test(u.pathname);
  } catch {
    return false;
  }
}
