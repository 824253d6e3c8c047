// Offers, the list's share filter, and the Sharing screen's way in and out, against a faked
// background: each asks for the right thing, and an error is shown without changing anything else.
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { Ask } from '../../../lib/ui/ask';
import { Nav } from '../../../lib/ui/nav.svelte';
import { Notice } from '../../../lib/ui/notice.svelte';
import { ShareFlows } from '../../../lib/ui/share-flows.svelte';
import { ShareOffers } from '../../../lib/ui/share-offers.svelte';
import { VaultList } from '../../../lib/ui/vault-list.svelte';
import { sharedFilterOf, sharedFilterValue } from '../../../lib/ui/share-words';
import { SHARES_CHANGED_EVENT, type ShareOffer } from '../../../lib/messages/share-protocol';

function background(answers: Record<string, unknown>) {
  const calls: { type: string; payload: unknown }[] = [];
  const ask = (async (type: string, payload?: unknown) => {
    calls.push({ type, payload });
    const value = answers[type];
    return value instanceof Error ? { ok: false, code: 'NETWORK', message: value.message } : { ok: true, value };
  }) as unknown as Ask;
  return { ask, calls };
}

const offer = (container: string, from: string): ShareOffer => ({ container, from, fromFingerprint: 'f', role: 'read', folder: null, entries: 2, offeredAt: 0 });

beforeEach(() => fakeBrowser.reset());

describe('ShareOffers', () => {
  it('accepting one removes it, says so, and reloads the list', async () => {
    const bg = background({ 'shares.offers': [offer('c1', 'bo'), offer('c2', 'cy')], 'shares.accept': undefined });
    let reloaded = 0;
    const offers = new ShareOffers(bg.ask, new Notice(), () => reloaded++);
    await offers.load();
    expect(await offers.accept(offers.offers[0]!)).toBe(true);
    expect(bg.calls.at(-1)).toEqual({ type: 'shares.accept', payload: { container: 'c1' } });
    expect(offers.offers.map((o) => o.from)).toEqual(['cy']);
    expect(reloaded).toBe(1);
  });

  it('an error on decline is shown, and the offer stays', async () => {
    const bg = background({ 'shares.offers': [offer('c1', 'bo')], 'shares.decline': new Error('No connection to the server.') });
    const notice = new Notice();
    let reloaded = 0;
    const offers = new ShareOffers(bg.ask, notice, () => reloaded++);
    await offers.load();
    expect(await offers.decline(offers.offers[0]!)).toBe(false);
    expect(notice.text).toBe('No connection to the server.');
    expect(notice.kind).toBe('error');
    expect(offers.offers.map((o) => o.container)).toEqual(['c1']);
    expect(reloaded).toBe(0);
  });
});

describe('the list share filter', () => {
  const empty = { total: 0, siteCount: 0, rows: [], folders: [], tags: [], shares: { withMe: 1, byMe: 1, with: [{ name: 'u-bo', count: 1 }] }, problems: [] };

  it('sends the chosen filter with vault.query, and no filter once cleared', async () => {
    const bg = background({ 'vault.query': empty });
    const list = new VaultList(bg.ask);
    list.setShared(sharedFilterOf('with:u-bo'));
    list.setShared(sharedFilterOf('withMe'));
    list.setShared(sharedFilterOf(''));
    expect(bg.calls.map((c) => (c.payload as { shared: unknown }).shared)).toEqual([{ kind: 'byMeWith', userId: 'u-bo' }, { kind: 'withMe' }, null]);
  });

  it('turns filters into option values and back', () => {
    for (const value of ['', 'withMe', 'byMe', 'with:u-bo']) expect(sharedFilterValue(sharedFilterOf(value))).toBe(value);
  });
});

describe('ShareFlows', () => {
  it('opens the Sharing screen from an entry, and Esc leads back to it', () => {
    const bg = background({ 'shares.forEntry': null, 'people.overview': { connections: [] } });
    const nav = new Nav();
    const flows = new ShareFlows(bg.ask, nav, new Notice(), () => {});
    flows.open({ kind: 'entry', entryId: 'e1', title: 'Mail' }, { name: 'entry', id: 'e1' });
    expect(nav.screen).toEqual({ name: 'sharing', from: { name: 'entry', id: 'e1' } });
    nav.back();
    expect(nav.screen).toEqual({ name: 'entry', id: 'e1' });
  });

  it('dismissing the change advice asks the background and reloads; an error is shown and reloads nothing', async () => {
    let reloaded = 0;
    const ok = background({ 'shares.dismissChangeAdvice': undefined });
    expect(await new ShareFlows(ok.ask, new Nav(), new Notice(), () => reloaded++).dismissChangeAdvice('e1')).toBe(true);
    expect(ok.calls).toEqual([{ type: 'shares.dismissChangeAdvice', payload: { entryId: 'e1' } }]);
    expect(reloaded).toBe(1);
    const notice = new Notice();
    const failing = background({ 'shares.dismissChangeAdvice': new Error('Locked.') });
    expect(await new ShareFlows(failing.ask, new Nav(), notice, () => reloaded++).dismissChangeAdvice('e1')).toBe(false);
    expect(notice.text).toBe('Locked.');
    expect(reloaded).toBe(1);
  });

  it('the background\'s "shares changed" broadcast reloads the offers and the list', async () => {
    const bg = background({ 'shares.offers': [offer('c9', 'di')] });
    let reloaded = 0;
    const flows = new ShareFlows(bg.ask, new Nav(), new Notice(), () => reloaded++);
    const stop = flows.watch();
    await fakeBrowser.runtime.sendMessage({ event: 'something else' });
    expect(reloaded).toBe(0);
    await fakeBrowser.runtime.sendMessage({ event: SHARES_CHANGED_EVENT });
    expect(reloaded).toBe(1);
    await expect.poll(() => flows.offers.offers.length).toBe(1);
    stop();
  });
});
