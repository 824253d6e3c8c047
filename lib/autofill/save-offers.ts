// Logins a person typed and submitted, held in the background's memory until they save, update or
// dismiss them in the popup. Never written to storage: they hold a password in the clear.
import { emptyEntryFields, type Entry, type EntryFields, type EntrySummary } from '../model/entry';
import type { SaveOffer } from '../messages/autofill-protocol';
import { placeOfPage } from './match';

/** An offer is forgotten after this long, or when its tab closes, or when the vault locks. */
export const OFFER_TTL_MS = 10 * 60_000;

interface Held extends SaveOffer {
  password: string;
}

export interface SaveOfferDeps {
  /** Entries that match the origin, best first. Throws LOCKED when locked. */
  matches(origin: string): Promise<EntrySummary[]>;
  get(id: string): Promise<Entry>;
  save(input: { id?: string; baseRevision?: number; fields: EntryFields }): Promise<EntrySummary>;
  /** Show or clear the offer on the toolbar button of a tab. */
  badge(tabId: number, offer: SaveOffer | null): void;
  now(): number;
  newId(): string;
}

export function createSaveOffers(deps: SaveOfferDeps) {
  const held = new Map<number, Held>();

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

  function forget(tabId: number) {
    if (held.delete(tabId)) deps.badge(tabId, null);
  }

  return {
    /** A person submitted a login on a tab. Locked vaults keep the offer and decide on unlock. */
    async submitted(tabId: number, origin: string, username: string, password: string): Promise<void> {
      if (!password || !placeOfPage(origin)) return;
      let offer: Held | null = { offerId: deps.newId(), tabId, origin, username, password, action: 'save', createdAt: deps.now() };
      try {
        offer = await resolve(offer);
      } catch {
        // Locked: keep it as a save; the popup asks again after unlock.
      }
      if (!offer) return forget(tabId);
      held.set(tabId, offer);
      deps.badge(tabId, publicPart(offer));
    },

    async current(tabId: number): Promise<SaveOffer | null> {
      const offer = held.get(tabId);
      if (!offer) return null;
      if (deps.now() - offer.createdAt > OFFER_TTL_MS) {
        forget(tabId);
        return null;
      }
      const fresh = await resolve(offer);
      if (!fresh) {
        forget(tabId);
        return null;
      }
      held.set(tabId, fresh);
      return publicPart(fresh);
    },

    async answer(offerId: string, action: 'save' | 'update' | 'dismiss', entryId?: string): Promise<EntrySummary | null> {
      const offer = [...held.values()].find((o) => o.offerId === offerId);
      if (!offer) return null;
      forget(offer.tabId);
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

    forget,
    /** The browser clears a tab's badge when it navigates (a submitted login usually does). */
    rebadge(tabId: number) {
      const offer = held.get(tabId);
      if (offer) deps.badge(tabId, publicPart(offer));
    },
    /** Locking wipes every offer: they hold passwords. */
    clear() {
      for (const tabId of [...held.keys()]) forget(tabId);
    },
  };
}

function publicPart(o: Held): SaveOffer {
  const { password: _p, ...rest } = o;
  return rest;
}
