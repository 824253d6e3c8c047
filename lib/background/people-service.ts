// People (issue 13): invitations both ways, connections and their kind, and the keys I pinned for
// each person (SECURITY.md 24). Connecting pins the other person's keys; a key the server later
// reports differently is shown as "their key changed", and nothing is sealed to them (the message
// service asks sendable()) until I accept the new key.
import { apiError, apiErrorDetails } from '../api/client';
import { AppError } from '../errors';
import { formatNumber, t } from '../i18n';
import type { InvitationView, LookupResult, PeopleOverview, PersonView } from '../messages/people-protocol';
import type { MessageRouter } from '../messages/router';
import { fingerprintOf, keyState, pin, type PinnedKeys } from '../sharing/pins';
import type { VaultRepository } from '../vault/repository';
import { myIdentity, withPrivateKeys, type MyIdentity } from './identity-keys';
import type { PeopleServer, PublicUser, ServerConnection, ServerIncoming, ServerOutgoing } from './people-types';
import type { SessionService } from './types';

export interface PeopleDeps {
  router: MessageRouter;
  session: SessionService;
  repo: Pick<VaultRepository, 'account' | 'pins' | 'sync'>;
  /** The server this vault syncs with; undefined when it has no account. */
  server: () => Promise<PeopleServer | undefined>;
  /** Tells open extension pages that people, invitations or messages changed. */
  changed?: () => void;
  /** How many entries I share with each person, both ways (issue 14), by user id. */
  sharedEntries?: (myUserId: string) => Promise<Map<string, number>>;
  now?: () => number;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const USERNAME = /^[a-z0-9][a-z0-9._@+-]{2,63}$/;

/** Server errors as AppErrors, said for people and messages. */
export async function remote<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    const err = apiError(e);
    if (err.code === 'NETWORK') throw new AppError('NETWORK', t('peopleErrorUnreachable'), { cause: e });
    if (err.code === 'UNAUTHENTICATED') throw new AppError('UNAUTHENTICATED', t('peopleErrorSignedOut'), { cause: e });
    if (err.code === 'RATE_LIMITED') {
      const seconds = Number(apiErrorDetails(e)?.retryAfterSeconds) || 60;
      throw new AppError('RATE_LIMITED', t('peopleErrorRateLimited', formatNumber(Math.max(1, Math.ceil(seconds / 60)))), { cause: e });
    }
    throw err;
  }
}

export interface PeopleService {
  /**
   * The person's pinned keys when a message may be sealed to them: connected, and the server
   * reports the pinned keys. Throws NOT_FOUND (not connected) or KEY_MISMATCH (key changed).
   */
  sendable(userId: string): Promise<PinnedKeys>;
  /** The keys pinned for a person (pinning them first if we are connected and nothing is pinned). */
  pinned(userId: string): Promise<PinnedKeys | undefined>;
  /** The server says people, invitations or messages changed. */
  peopleChanged(): void;
}

export function createPeopleService(deps: PeopleDeps): PeopleService {
  const { router, session, repo } = deps;
  const now = deps.now ?? (() => Date.now());

  async function server(): Promise<PeopleServer> {
    const s = await deps.server();
    if (!s) throw new AppError('UNAUTHENTICATED', t('peopleErrorNoAccount'));
    return s;
  }

  const keysOf = (me: MyIdentity) => ({ userKey: me.userKey, signingPublicKey: me.account.signingPublicKey });

  async function readPin(me: MyIdentity, userId: string): Promise<PinnedKeys | undefined> {
    const got = await repo.pins.get(keysOf(me), userId);
    if (got === 'damaged') throw new AppError('DECRYPT_FAILED', t('peopleErrorPinDamaged'));
    return got;
  }

  async function writePin(me: MyIdentity, pins: PinnedKeys): Promise<void> {
    await withPrivateKeys(me, (identity) => repo.pins.put({ ...keysOf(me), signingPrivateKey: identity.signing.privateKey }, pins));
  }

  /** Pins the keys of a person seen for the first time; keeps what is pinned otherwise. */
  async function pinOnFirstSight(me: MyIdentity, person: PublicUser): Promise<PinnedKeys | 'damaged'> {
    const got = await repo.pins.get(keysOf(me), person.userId);
    if (got !== undefined) return got;
    const fresh = pin(person, now());
    await writePin(me, fresh);
    return fresh;
  }

  async function personView(me: MyIdentity, c: ServerConnection): Promise<PersonView> {
    const pinned = await pinOnFirstSight(me, c);
    const reported = fingerprintOf(c);
    const base = { userId: c.userId, username: c.username, kind: c.kind, sharingRequest: c.sharingRequest };
    if (pinned === 'damaged') return { ...base, fingerprint: reported, keyState: 'changed', newFingerprint: reported, verified: false };
    const state = keyState(pinned, c);
    return {
      ...base,
      fingerprint: fingerprintOf(pinned),
      keyState: state === 'changed' ? 'changed' : 'same',
      ...(state === 'changed' ? { newFingerprint: reported } : {}),
      verified: pinned.verified && state === 'same',
    };
  }

  const incomingView = (i: ServerIncoming): InvitationView => ({ id: i.id, username: i.from.username, fingerprint: fingerprintOf(i.from), kind: i.kind, createdAt: i.createdAt, expiresAt: i.expiresAt });
  const outgoingView = (o: ServerOutgoing): InvitationView =>
    'email' in o.to
      ? { id: o.id, email: o.to.email, kind: o.kind, createdAt: o.createdAt, expiresAt: o.expiresAt }
      : { id: o.id, username: o.to.username, fingerprint: fingerprintOf(o.to), kind: o.kind, createdAt: o.createdAt, expiresAt: o.expiresAt };

  async function overview(): Promise<PeopleOverview> {
    const me = await myIdentity(repo, session);
    const { people } = await server();
    const [{ connections }, { incoming, outgoing }, sync] = await Promise.all([remote(() => people.list()), remote(() => people.invitations()), repo.sync()]);
    const views: PersonView[] = [];
    const shared = await deps.sharedEntries?.(me.account.userId);
    for (const c of connections) views.push({ ...(await personView(me, c)), ...(shared ? { sharedEntries: shared.get(c.userId) ?? 0 } : {}) });
    return { me: { username: sync?.username ?? '', fingerprint: me.fingerprint }, connections: views, incoming: incoming.map(incomingView), outgoing: outgoing.map(outgoingView) };
  }

  async function connection(userId: string): Promise<ServerConnection> {
    const { people } = await server();
    const { connections } = await remote(() => people.list());
    const c = connections.find((x) => x.userId === userId);
    if (!c) throw new AppError('NOT_FOUND', t('peopleErrorNotConnected'));
    return c;
  }

  async function lookup(query: string): Promise<LookupResult> {
    const q = typeof query === 'string' ? query.trim().toLowerCase() : '';
    const email = EMAIL.test(q);
    if (!USERNAME.test(q) && !email) throw new AppError('BAD_INPUT', t('peopleErrorLookupFormat'));
    const me = await myIdentity(repo, session);
    const { people } = await server();
    // Usernames may contain "@": an address is looked up as a username first, and otherwise invited by email.
    const { user } = USERNAME.test(q) ? await remote(() => people.lookup({ username: q })) : { user: null };
    if (!user) return { found: 'none', email };
    const self = user.userId === me.account.userId;
    return { found: 'user', userId: user.userId, username: user.username, fingerprint: fingerprintOf(user), self };
  }

  function done(): void {
    deps.changed?.();
  }

  router.on('people.overview', () => overview());
  router.on('people.lookup', ({ query }) => lookup(query));
  router.on('people.invite', async (input) => {
    const me = await myIdentity(repo, session);
    const { people } = await server();
    if ('email' in input) {
      const email = typeof input.email === 'string' ? input.email.trim().toLowerCase() : '';
      if (!EMAIL.test(email)) throw new AppError('BAD_INPUT', t('errorEmailFormat'));
      await remote(() => people.invite({ email }));
    } else {
      if (input.userId === me.account.userId) throw new AppError('BAD_INPUT', t('peopleErrorSelf'));
      const { invitation } = await remote(() => people.invite({ userId: input.userId }));
      // The keys I was shown when I chose to invite them are the ones pinned.
      if (!('email' in invitation.to)) await pinOnFirstSight(me, invitation.to);
    }
    done();
  });
  router.on('people.acceptInvitation', async ({ id }) => {
    const me = await myIdentity(repo, session);
    const { people } = await server();
    const { incoming } = await remote(() => people.invitations());
    const invitation = incoming.find((i) => i.id === id);
    if (!invitation) throw new AppError('NOT_FOUND', t('peopleErrorInvitationGone'));
    await remote(() => people.acceptInvitation(id));
    // The keys shown on the invitation I accepted are the ones pinned.
    await pinOnFirstSight(me, invitation.from);
    done();
  });
  /** One change on the server, then a refresh of the open pages. */
  async function act(call: (people: PeopleServer['people']) => Promise<void>): Promise<void> {
    session.userKey();
    const { people } = await server();
    await remote(() => call(people));
    done();
  }
  router.on('people.declineInvitation', ({ id }) => act((p) => p.declineInvitation(id)));
  router.on('people.cancelInvitation', ({ id }) => act((p) => p.cancelInvitation(id)));
  router.on('people.requestSharing', ({ userId }) => act((p) => p.requestSharing(userId)));
  router.on('people.acceptSharing', ({ userId }) => act((p) => p.acceptSharing(userId)));
  router.on('people.stopSharing', ({ userId }) => act((p) => p.stopSharing(userId)));
  // The pin stays: connecting again later with other keys shows the key warning rather than trusting them.
  router.on('people.remove', ({ userId }) => act((p) => p.remove(userId)));

  router.on('people.markVerified', async ({ userId }) => {
    const me = await myIdentity(repo, session);
    const c = await connection(userId);
    const pinned = await readPin(me, userId);
    if (!pinned || keyState(pinned, c) !== 'same') throw new AppError('KEY_MISMATCH', t('peopleErrorVerifyChanged', c.username));
    await writePin(me, { ...pinned, verified: true, verifiedAt: now() });
    done();
  });
  router.on('people.acceptKey', async ({ userId }) => {
    const me = await myIdentity(repo, session);
    const c = await connection(userId);
    // A new key is pinned unverified: the fingerprints have to be compared again.
    await writePin(me, pin(c, now()));
    done();
  });

  return {
    async sendable(userId) {
      const me = await myIdentity(repo, session);
      const c = await connection(userId);
      const pinned = await pinOnFirstSight(me, c);
      if (pinned === 'damaged' || keyState(pinned, c) !== 'same') throw new AppError('KEY_MISMATCH', t('messageErrorKeyChanged', c.username));
      return pinned;
    },
    async pinned(userId) {
      const me = await myIdentity(repo, session);
      const got = await readPin(me, userId);
      if (got) return got;
      const c = await connection(userId).catch(() => undefined);
      if (!c) return undefined;
      const fresh = await pinOnFirstSight(me, c);
      return fresh === 'damaged' ? undefined : fresh;
    },
    peopleChanged() {
      if (session.state() !== 'unlocked') return;
      done();
    },
  };
}
