// Share objects (issue 14, SHARES-API.md "Client"): create a share of entries or a folder, change its
// members (additions are granted the current key; removals rotate it and flag the entries for a
// password change), offers, accept, decline, leave, end. Keys are verified and rotated on sync
// (share-sync.ts); this registers the popup's messages and keeps the list's marks.
import { toBase64Url } from '../crypto/encoding';
import { randomBytes } from '../crypto/random';
import { AppError } from '../errors';
import { t } from '../i18n';
import type { MessageRouter } from '../messages/router';
import type { ShareMemberChoice, ShareRole, ShareView } from '../messages/share-protocol';
import type { PinnedKeys } from '../sharing/pins';
import { createShare, grantShareKey, type NewMember } from '../sharing/share-epoch';
import { SHARE_ROLES } from '../sharing/share-statements';
import type { Me } from '../sharing/share-verify';
import type { EntryRecord, ShareMemberRow } from '../vault/db';
import type { VaultRepository } from '../vault/repository';
import { PERSONAL } from './entry-write';
import { shareApiOf, type ShareApi } from './share-api';
import type { ShareKeyring } from './share-keyring';
import { moveEntries } from './share-moves';
import type { ShareSync } from './share-sync';
import { shareOffer, shareView } from './share-views';
import type { SessionService, VaultService } from './types';
import type { VaultShares } from './vault-shares';
import type { ApiClient } from '../api/client';

export interface ShareServiceDeps {
  router: MessageRouter;
  session: SessionService;
  repo: Pick<VaultRepository, 'sync' | 'allEntries' | 'entriesById' | 'entry' | 'applyRemote'>;
  keyring: ShareKeyring;
  shareSync: ShareSync;
  vault: Pick<VaultService, 'refresh' | 'summaries'>;
  /** The connected server (bringing the connection up if needed), and a sync round. */
  client(): Promise<ApiClient | undefined>;
  syncNow(): Promise<void>;
  withMe<T>(use: (me: Me) => Promise<T> | T): Promise<T>;
  pinsFor(userIds: string[]): Promise<Map<string, PinnedKeys>>;
  now?: () => number;
  /** Tells open extension pages that shares or offers changed. */
  changed?: () => void;
}

function memberChoices(input: unknown, me: string): ShareMemberChoice[] {
  const list = Array.isArray(input) ? input : [];
  const seen = new Set<string>();
  for (const m of list as ShareMemberChoice[]) {
    const ok = !!m && typeof m.userId === 'string' && m.userId !== me && !seen.has(m.userId) && (SHARE_ROLES as readonly string[]).includes(m.role) && (m.expiresAt == null || Number.isSafeInteger(m.expiresAt));
    if (!ok) throw new AppError('BAD_INPUT', t('errorBug', 'a share member is not a person with a permission'));
    seen.add(m.userId);
  }
  return list as ShareMemberChoice[];
}

export function createShareService(deps: ShareServiceDeps): VaultShares {
  const { router, session, repo, keyring } = deps;
  const now = deps.now ?? (() => Date.now());
  /** Mine, for the list's marks ("shared by me"); known once a sync record is read. */
  let myUserId = '';
  session.onUnlock(() => void repo.sync().then((m) => void (myUserId = m?.userId ?? ''), () => undefined));

  async function connection(): Promise<{ api: ShareApi; userId: string }> {
    session.userKey();
    const meta = await repo.sync();
    const client = meta ? await deps.client() : undefined;
    if (!meta || !client) throw new AppError('UNAUTHENTICATED', t('shareErrorNotSynced'));
    myUserId = meta.userId;
    await keyring.ready();
    return { api: shareApiOf(client), userId: meta.userId };
  }

  const entries = async () => (await repo.allEntries()) as EntryRecord[];

  async function view(container: string, me: string): Promise<ShareView> {
    const row = keyring.row(container);
    if (!row) throw new AppError('NOT_FOUND', t('shareErrorGone'), { subject: container });
    return shareView(row, await entries(), me);
  }

  function newMember(m: ShareMemberChoice, pins: Map<string, PinnedKeys>): NewMember {
    const pinned = pins.get(m.userId);
    if (!pinned) throw new AppError('NOT_FOUND', t('shareErrorNotConnected', m.userId), { subject: m.userId });
    return { userId: m.userId, role: m.role, boxPublicKey: pinned.boxPublicKey, signingPublicKey: pinned.signingPublicKey, ...(m.expiresAt == null ? {} : { expiresAt: m.expiresAt }) };
  }

  const memberRow = (m: NewMember, username: string, grantedBy: string, acceptedAt: number | null): ShareMemberRow => ({
    userId: m.userId, username, boxPublicKey: m.boxPublicKey, signingPublicKey: m.signingPublicKey, role: m.role, grantedBy, expiresAt: m.expiresAt ?? null, acceptedAt,
  });

  async function refreshMembers(api: ShareApi, container: string): Promise<void> {
    const details = await api.get({ container });
    await keyring.update(container, { members: details.members, epoch: details.epoch, rotationDue: details.rotationDue });
  }

  function done(): void {
    deps.changed?.();
  }

  router.on('shares.create', async (input) => {
    const { api, userId } = await connection();
    const choices = memberChoices(input.members, userId);
    const folder = 'folder' in input && typeof input.folder === 'string' ? input.folder : undefined;
    const all = (await entries()).filter((e) => e.container === PERSONAL && e.deleted !== 1);
    let ids: string[];
    if (folder !== undefined) ids = (await deps.vault.summaries()).filter((s) => s.folder === folder && !s.share).map((s) => s.id);
    else ids = 'entryIds' in input && Array.isArray(input.entryIds) ? input.entryIds.filter((id) => all.some((e) => e.id === id)) : [];
    if (folder === undefined && ids.length === 0) throw new AppError('BAD_INPUT', t('shareErrorNoEntries'));
    const pins = await deps.pinsFor(choices.map((m) => m.userId));
    const members = choices.map((m) => newMember(m, pins));
    const container = toBase64Url(randomBytes(16));
    const issued = await deps.withMe((me) => createShare({ container, me, members, pins, now: now() }));
    const roleOf = new Map<string, { role: ShareRole; expiresAt?: number }>([[userId, { role: 'grant' }], ...members.map((m) => [m.userId, { role: m.role, expiresAt: m.expiresAt }] as const)]);
    await api.create({ container, roster: issued.roster, keys: issued.keys.map((k) => ({ ...k, ...roleOf.get(k.userId)! })) });
    const meRow = issued.verified.roster.members.find((m) => m.userId === userId)!;
    const meta = await repo.sync();
    await keyring.store(
      {
        container, epoch: 1, role: 'grant', accepted: true, rotationDue: false, ownerId: userId,
        members: [memberRow({ ...meRow, role: 'grant' }, meta?.username ?? '', userId, now()), ...members.map((m) => memberRow(m, pins.get(m.userId)!.username, userId, null))],
        ...(folder !== undefined ? { folder } : {}),
      },
      [{ epoch: 1, key: issued.shareKey }],
      issued.verified,
    );
    // Entries not on the server yet get there first: vault.move takes only what the server has.
    await deps.syncNow();
    const fresh = [...(await repo.entriesById(ids)).values()].filter((e) => e.container === PERSONAL && e.deleted !== 1);
    const moved = await moveEntries(api, repo, keyring, fresh, { from: userId, to: container, label: container, epoch: 1 });
    await deps.vault.refresh(moved);
    done();
    return view(container, userId);
  });

  router.on('shares.forEntry', async ({ entryId }) => {
    const { userId } = await connection();
    const record = (await repo.entriesById([entryId])).get(entryId);
    if (!record || record.container === PERSONAL) return null;
    return keyring.row(record.container) ? view(record.container, userId) : null;
  });

  router.on('shares.forFolder', async ({ folder }) => {
    const { userId } = await connection();
    const row = keyring.rows().find((r) => r.folder === folder && r.accepted);
    return row ? view(row.container, userId) : null;
  });

  router.on('shares.setMembers', async ({ container, members: wanted }) => {
    const { api, userId } = await connection();
    const choices = memberChoices(wanted, userId);
    const row = keyring.row(container);
    if (!row) throw new AppError('NOT_FOUND', t('shareErrorGone'), { subject: container });
    if (row.role !== 'grant') throw new AppError('FORBIDDEN', t('shareErrorNoGrant'));
    await refreshMembers(api, container);
    const current = new Map(keyring.row(container)!.members.filter((m) => m.userId !== userId).map((m) => [m.userId, m]));
    const removed = [...current.keys()].filter((id) => !choices.some((c) => c.userId === id));
    const granted = choices.filter((c) => {
      const m = current.get(c.userId);
      return !m || m.role !== c.role || m.expiresAt !== (c.expiresAt ?? null);
    });
    if (granted.length > 0) {
      const pins = await deps.pinsFor(granted.map((m) => m.userId));
      const epoch = keyring.knownEpoch(container);
      const roster = keyring.roster(container)!;
      const shareKey = keyring.keyFor(container, epoch);
      const keys = await deps.withMe((me) =>
        granted.map((c) => {
          const member = newMember(c, pins);
          return { ...grantShareKey({ roster, shareKey, me, member, pins, now: now() }), role: c.role, ...(member.expiresAt === undefined ? {} : { expiresAt: member.expiresAt }) };
        }),
      );
      await api.grant({ container, epoch, keys });
    }
    if (removed.length > 0) {
      const resealed = await deps.shareSync.rotation.rotate(api, container, removed);
      // Whoever was removed could read these: members with grant are asked to change their passwords.
      const flagged = (await entries()).filter((e) => e.container === container && e.deleted !== 1).map((e) => e.id);
      await keyring.update(container, { considerChanging: [...new Set([...(keyring.row(container)!.considerChanging ?? []), ...flagged])] });
      await deps.vault.refresh(resealed);
      await deps.syncNow();
    }
    await refreshMembers(api, container);
    done();
    return view(container, userId);
  });

  router.on('shares.offers', async () => {
    await connection();
    return keyring.rows().filter((r) => !r.accepted).map(shareOffer);
  });

  router.on('shares.accept', async ({ container }) => {
    const { api } = await connection();
    await api.accept({ container });
    if (keyring.row(container)) await keyring.update(container, { accepted: true });
    await deps.syncNow();
    done();
  });

  async function endForMe(container: string, call: (api: ShareApi) => Promise<unknown>): Promise<void> {
    const { api } = await connection();
    await call(api);
    const ids = keyring.row(container) ? await keyring.forget(container) : [];
    await deps.vault.refresh(ids);
    done();
  }
  router.on('shares.decline', ({ container }) => endForMe(container, (api) => api.decline({ container })));
  router.on('shares.leave', ({ container }) => endForMe(container, (api) => api.leave({ container })));

  router.on('shares.end', async ({ container }) => {
    const { api, userId } = await connection();
    const row = keyring.row(container);
    if (!row) throw new AppError('NOT_FOUND', t('shareErrorGone'), { subject: container });
    if (row.ownerId !== userId) throw new AppError('FORBIDDEN', t('shareErrorNoGrant'));
    const mine = (await entries()).filter((e) => e.container === container && e.deleted !== 1);
    const moved = await moveEntries(api, repo, keyring, mine, { from: container, to: userId, label: PERSONAL, epoch: 0 });
    for (const m of row.members) if (m.userId !== userId) await api.removeMember({ container, userId: m.userId });
    await endForMe(container, (a) => a.leave({ container }));
    await deps.vault.refresh(moved);
  });

  router.on('shares.dismissChangeAdvice', async ({ entryId }) => {
    await connection();
    for (const row of keyring.rows()) {
      if (row.considerChanging?.includes(entryId)) await keyring.update(row.container, { considerChanging: row.considerChanging.filter((id) => id !== entryId) });
    }
    done();
  });

  return {
    mark: (container, entryId) => keyring.markFor(container, entryId, myUserId),
    placeNew(folder) {
      if (!folder) return undefined;
      const row = keyring.rows().find((r) => r.folder === folder && r.accepted && r.role !== 'read');
      const epoch = row ? keyring.knownEpoch(row.container) : 0;
      return row && epoch > 0 ? { container: row.container, epoch } : undefined;
    },
    requireWrite(container, entryId) {
      if (container === PERSONAL) return;
      const row = keyring.row(container);
      if (!row || row.role === 'read') throw new AppError('FORBIDDEN', t('shareErrorReadOnly'), { subject: entryId });
    },
  };
}
