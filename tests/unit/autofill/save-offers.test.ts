import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { createSaveOffers, sessionOfferStore, OFFER_TTL_MS, OFFERS_KEY, type OfferStore } from '../../../lib/autofill/save-offers';
import { AppError } from '../../../lib/errors';
import { emptyEntryFields, type Entry, type EntryFields, type EntrySummary } from '../../../lib/model/entry';
import type { SaveOffer } from '../../../lib/messages/autofill-protocol';

function setup(entries: Entry[] = [], locked = false, store?: OfferStore, start = 1_000) {
  let clock = start;
  let id = 0;
  const badges = new Map<number, SaveOffer | null>();
  const saved: { id?: string; baseRevision?: number; fields: EntryFields }[] = [];
  const state = { locked };
  const offers = createSaveOffers({
    matches: async (origin) => {
      if (state.locked) throw new AppError('LOCKED', 'locked');
      return entries.filter((e) => e.urls.includes(origin)) as unknown as EntrySummary[];
    },
    get: async (i) => entries.find((e) => e.id === i)!,
    save: async (input) => {
      saved.push(input);
      return { id: input.id ?? 'new', revision: (input.baseRevision ?? 0) + 1 } as EntrySummary;
    },
    badge: (tabId, offer) => badges.set(tabId, offer),
    now: () => clock,
    newId: () => `offer-${++id}`,
    store,
  });
  return { offers, badges, saved, state, tick: (ms: number) => (clock += ms) };
}

const entry = (over: Partial<Entry>): Entry => ({ ...emptyEntryFields(), id: 'e1', revision: 3, createdAt: 0, updatedAt: 0, passwordHistory: [], title: 'Mine', username: 'me', password: 'old', urls: ['https://a.example'], ...over });

describe('save offers', () => {
  it('offers a new login for saving and saves it with its origin, never showing the password', async () => {
    const { offers, badges, saved } = setup();
    await offers.submitted(7, 'https://a.example', 'me', 'pw-1');
    const offer = await offers.current(7);
    expect(offer).toMatchObject({ action: 'save', origin: 'https://a.example', username: 'me', tabId: 7 });
    expect(JSON.stringify(offer)).not.toContain('pw-1');
    expect(badges.get(7)).toMatchObject({ action: 'save' });
    await offers.answer(offer!.offerId, 'save');
    expect(saved[0]!.fields).toMatchObject({ title: 'a.example', username: 'me', password: 'pw-1', urls: ['https://a.example'] });
    expect(await offers.current(7)).toBeNull();
    expect(badges.get(7)).toBeNull();
  });

  it('offers an update when the username is known with another password, and keeps the rest of the entry', async () => {
    const { offers, saved } = setup([entry({ notes: 'keep me', tags: ['t'] })]);
    await offers.submitted(7, 'https://a.example', 'ME ', 'new-pw');
    const offer = await offers.current(7);
    expect(offer).toMatchObject({ action: 'update', entryId: 'e1', entryTitle: 'Mine' });
    await offers.answer(offer!.offerId, 'update');
    expect(saved[0]).toMatchObject({ id: 'e1', baseRevision: 3, fields: { password: 'new-pw', notes: 'keep me', tags: ['t'], username: 'me' } });
  });

  it('offers nothing for the password already saved, nor without a password or a web origin', async () => {
    const { offers } = setup([entry({})]);
    await offers.submitted(7, 'https://a.example', 'me', 'old');
    expect(await offers.current(7)).toBeNull();
    await offers.submitted(7, 'https://a.example', 'me', '');
    await offers.submitted(8, 'null', 'me', 'pw');
    expect(await offers.current(7)).toBeNull();
    expect(await offers.current(8)).toBeNull();
  });

  it('keeps an offer made while locked and decides after unlock', async () => {
    const { offers, state } = setup([entry({})], true);
    await offers.submitted(7, 'https://a.example', 'me', 'old');
    state.locked = false;
    expect(await offers.current(7)).toBeNull();
  });

  it('forgets offers after ten minutes, on dismiss and on clear', async () => {
    const { offers, tick } = setup();
    await offers.submitted(7, 'https://a.example', 'me', 'pw');
    tick(OFFER_TTL_MS + 1);
    expect(await offers.current(7)).toBeNull();
    await offers.submitted(7, 'https://a.example', 'me', 'pw');
    const offer = await offers.current(7);
    expect(await offers.answer(offer!.offerId, 'dismiss')).toBeNull();
    expect(await offers.current(7)).toBeNull();
    await offers.submitted(8, 'https://a.example', 'me', 'pw');
    await offers.clear();
    expect(await offers.current(8)).toBeNull();
  });
});

describe('save offers across a service-worker restart (storage.session)', () => {
  beforeEach(() => fakeBrowser.reset());
  const store = () => sessionOfferStore(fakeBrowser.storage.session);
  const stored = async () => (await fakeBrowser.storage.session.get(OFFERS_KEY))[OFFERS_KEY] as unknown[] | undefined;

  it('an offer made before the restart is still offered, and saved with its password, after it', async () => {
    const before = setup([], false, store());
    await before.offers.submitted(7, 'https://a.example', 'me', 'pw-typed');
    const offer = await before.offers.current(7);

    // A new worker: nothing in memory, the same storage.session.
    const after = setup([], false, store(), 1_000 + 60_000);
    expect(await after.offers.current(7)).toEqual(offer);
    await after.offers.answer(offer!.offerId, 'save');
    expect(after.saved[0]!.fields).toMatchObject({ username: 'me', password: 'pw-typed', urls: ['https://a.example'] });
    expect(await stored()).toBeUndefined();
    expect(await setup([], false, store()).offers.current(7)).toBeNull();
  });

  it('an offer past its ten minutes is dropped on restart, and its badge cleared', async () => {
    const before = setup([], false, store());
    await before.offers.submitted(7, 'https://a.example', 'me', 'pw');
    const after = setup([], false, store(), 1_000 + OFFER_TTL_MS + 1);
    expect(await after.offers.current(7)).toBeNull();
    expect(after.badges.get(7)).toBeNull();
    expect(await stored()).toBeUndefined();
  });

  it('locking (clear), dismissing and closing the tab remove offers from storage.session too', async () => {
    const { offers } = setup([], false, store());
    await offers.submitted(7, 'https://a.example', 'me', 'pw-7');
    await offers.submitted(8, 'https://b.example', 'you', 'pw-8');
    await offers.submitted(9, 'https://c.example', 'them', 'pw-9');
    expect(await stored()).toHaveLength(3);
    await offers.answer((await offers.current(7))!.offerId, 'dismiss');
    await offers.forget(8);
    expect(await stored()).toHaveLength(1);
    await offers.clear();
    expect(await stored()).toBeUndefined();
    expect(await setup([], false, store()).offers.current(9)).toBeNull();
  });

  it('ignores what it cannot read back', async () => {
    await fakeBrowser.storage.session.set({ [OFFERS_KEY]: [{ tabId: 'x' }, null, 'junk'] });
    const { offers } = setup([], false, store());
    expect(await offers.current(7)).toBeNull();
    await fakeBrowser.storage.session.set({ [OFFERS_KEY]: 'not a list' });
    expect(await setup([], false, store()).offers.current(7)).toBeNull();
  });
});
