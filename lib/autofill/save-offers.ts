// Logins a person typed and submitted, held until they save, update or dismiss them in the popup.
// They hold a password in the clear: kept in the background's memory and, so that an MV3
// service-worker restart does not lose them, in storage.session (memory only, cleared when the
// browser closes, out of reach of content scripts). Never in storage.local, never in a log; locking
// wipes both.
import { emptyEntryFields, type Entry, type EntryFields, type EntrySummary, type EntryWrite } from '../model/entry';
import type { SaveOffer } from '../messages/autofill-protocol';
import { placeOfPage } from './match';

/** An offer is forgotten after this long, or when its tab closes, or when the vault locks. */
export const OFFER_TTL_MS = 10 * 60_000;

export interface Held extends SaveOffer {
  password: string;
}

export interface SaveOfferDeps {
  /** Entries that match the origin, best first. Throws LOCKED when locked. */
  matches(origin: string): Promise<EntrySummary[]>;
  get(id: string): Promise<Entry>;
  save(input: EntryWrite): Promise<EntrySummary>;
  /** Show or clear the offer on the toolbar button of a tab. */
  badge(tabId: number, offer: SaveOffer | null): void;
  now(): number;
  newId(): string;
  /** Where offers outlive a service-worker restart (storage.session); memory only without it. */
  store?: OfferStore;
}

export interface OfferStore {
  load(): Promise<unknown>;
  save(offers: Held[]): Promise<void>;
}

/** The storage.session key of the pending offers. */
export const OFFERS_KEY = 'latchkey.saveOffers';

/** An OfferStore on a StorageArea (browser.storage.session). */
export function sessionOfferStore(area: { get(key: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void>; remove(key: string): Promise<void> }): OfferStore {
  return {
    load: async () => (await area.get(OFFERS_KEY))[OFFERS_KEY],
    save: (offers) => (offers.length ? area.set({ [OFFERS_KEY]: offers }) : area.remove(OFFERS_KEY)),
  };
}

const isHeld = (o: unknown): o is Held => {
  const h = o as Held;
  return !!h && typeof h.offerId === 'string' && typeof h.tabId === 'number' && typeof h.origin === 'string' && typeof h.username === 'string' && typeof h.password === 'string' && typeof h.createdAt === 'number' && (h.action === 'save' || h.action === 'update');
};

export function createSaveOffers(deps: SaveOfferDeps) {
  const held = new Map<number, Held>();
  const fresh = (o: Held) => deps.now() - o.createdAt <= OFFER_TTL_MS;

  let writing = Promise.resolve();
  /** Writes the offers as they are now; writes run one after another, the last one wins. */
  function persist(): Promise<void> {
    const store = deps.store;
    if (!store) return writing;
    writing = writing.then(() => store.save([...held.values()]).catch(() => {}));
    return writing;
  }
  // Offers a stopped service worker left behind, expired ones dropped. Every change waits for it.
  const loaded: Promise<void> = (async () => {
    const stored = await deps.store?.load().catch(() => undefined);
    if (!Array.isArray(stored)) return;
    for (const o of stored) {
      if (!isHeld(o)) continue;
      if (fresh(o) && !held.has(o.tabId)) held.set(o.tabId, o);
      else deps.badge(o.tabId, null);
    }
    if (held.size !== stored.length) void persist();
  })();

  const sameUser = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

  /** Works out save vs update against the vault; null when the vault already has exactly this login. */
  async function resolve(offer: Held): Promise<Held | null> {
    const entries = await deps.matches(offer.origin);
    for (const e of entries.filter((x) => sameUser(x.username, offer.username))) {
      const full = await deps.get(e.id);
      if (full.password === offer.password) return null;
      return { ...offer, action: 'update', entryId: e.id, entryTitle: e.title };
    }
    return { ...offer, action: 'save', entryId: undefined, entryTitle: undefined };
  }

  function forgetNow(tabId: number): Promise<void> {
    if (!held.delete(tabId)) return writing;
    deps.badge(tabId, null);
    return persist();
  }

  return {
    /** A person submitted a login on a tab. Locked vaults keep the offer and decide on unlock. */
    async submitted(tabId: number, origin: string, username: string, password: string): Promise<void> {
      if (!password || !placeOfPage(origin)) return;
      await loaded;
      let offer: Held | null = { offerId: deps.newId(), tabId, origin, username, password, action: 'save', createdAt: deps.now() };
      try {
        offer = await resolve(offer);
      } catch {
        // Locked: keep it as a save; the popup asks again after unlock.
      }
      if (!offer) return forgetNow(tabId);
      held.set(tabId, offer);
      deps.badge(tabId, publicPart(offer));
      await persist();
    },

    async current(tabId: number): Promise<SaveOffer | null> {
      await loaded;
      const offer = held.get(tabId);
      if (!offer) return null;
      if (!fresh(offer)) {
        await forgetNow(tabId);
        return null;
      }
      const resolved = await resolve(offer);
      // Answered or replaced meanwhile: that one stands.
      if (held.get(tabId)?.offerId !== offer.offerId) return null;
      if (!resolved) {
        await forgetNow(tabId);
        return null;
      }
      held.set(tabId, resolved);
      if (resolved.action !== offer.action || resolved.entryId !== offer.entryId) await persist();
      return publicPart(resolved);
    },

    async answer(offerId: string, action: 'save' | 'update' | 'dismiss', entryId?: string): Promise<EntrySummary | null> {
      await loaded;
      const offer = [...held.values()].find((o) => o.offerId === offerId);
      if (!offer || !fresh(offer)) return null;
      await forgetNow(offer.tabId);
      if (action === 'dismiss') return null;
      const targetId = action === 'update' ? (entryId ?? offer.entryId) : undefined;
      if (targetId) {
        const entry = await deps.get(targetId);
        const { id, revision, createdAt: _c, updatedAt: _u, ...fields } = entry;
        return deps.save({ id, baseRevision: revision, fields: { ...fields, password: offer.password } });
      }
      const host = placeOfPage(offer.origin)!.hostname;
      return deps.save({ fields: { ...emptyEntryFields(), title: host, username: offer.username, password: offer.password, urls: [offer.origin] } });
    },

    /** The tab closed. */
    forget(tabId: number): Promise<void> {
      return loaded.then(() => forgetNow(tabId));
    },
    /** The browser clears a tab's badge when it navigates (a submitted login usually does). */
    rebadge(tabId: number): Promise<void> {
      return loaded.then(() => {
        const offer = held.get(tabId);
        if (!offer) return;
        if (fresh(offer)) deps.badge(tabId, publicPart(offer));
        else return forgetNow(tabId);
      });
    },
    /** Locking wipes every offer, in memory and in storage: they hold passwords. */
    async clear(): Promise<void> {
      await loaded;
      for (const tabId of [...held.keys()]) void forgetNow(tabId);
      await persist();
    },
  };
}

function publicPart(o: Held): SaveOffer {
  const { password: _p, ...rest } = o;
  return rest;
}
