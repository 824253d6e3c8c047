// The link dialog's and delivery's state classes: field errors stop the request, the PIN appears
// only after a link exists, and the mail draft never holds the PIN.
import { describe, expect, it } from 'vitest';
import type { Ask } from '../../../lib/ui/ask';
import { LinkDraft, localDateTime } from '../../../lib/ui/link-draft.svelte';
import { LinkDelivery, mailtoHref } from '../../../lib/ui/link-delivery.svelte';
import { Selection } from '../../../lib/ui/selection.svelte';
import { PickupSave } from '../../../lib/ui/pickup-save.svelte';

const DAY = 86_400_000;

function recordingAsk(reply: (type: string, payload: unknown) => unknown = () => ({ id: 'L'.repeat(22), url: 'http://s.example/l/x#secret', title: 'T', expiresAt: 1 })) {
  const calls: { type: string; payload: unknown }[] = [];
  const ask = (async (type: string, payload?: unknown) => {
    calls.push({ type, payload });
    const value = reply(type, payload);
    return value instanceof Error ? { ok: false, code: 'NETWORK', message: value.message } : { ok: true, value };
  }) as unknown as Ask;
  return { ask, calls };
}

describe('LinkDraft', () => {
  it('starts with the defaults: the entry title, 1 use, 1 day, a PIN, no notes', () => {
    const { ask } = recordingAsk();
    const d = new LinkDraft(ask, [{ id: 'a', title: 'Mail' }], { makePin: async () => '01234' });
    expect([d.title, d.uses, d.expiry, d.protection, d.includeNotes, d.restrict]).toEqual(['Mail', '1', '1d', 'pin', false, false]);
    const now = 1_000_000;
    expect(d.request(now, '01234')).toMatchObject({ entryIds: ['a'], maxUses: 1, expiresAt: now + DAY, protection: { kind: 'pin', pin: '01234' }, emails: [] });
  });

  it('shows field errors and sends nothing while a field is wrong', async () => {
    const { ask, calls } = recordingAsk();
    const d = new LinkDraft(ask, [{ id: 'a', title: 'Mail' }], { makePin: async () => '01234' });
    d.title = ' ';
    d.uses = '0';
    d.expiry = 'date';
    d.date = localDateTime(Date.now() + 40 * DAY);
    d.protection = 'passphrase';
    d.passphrase = 'short';
    d.attempts = '2';
    d.restrict = true;
    d.emails = 'bob@example.org, nope';
    expect(await d.submit()).toBe(false);
    expect(Object.keys(d.errors).sort()).toEqual(['attempts', 'emails', 'expiry', 'protection', 'title', 'uses']);
    expect(calls).toHaveLength(0);
    expect(d.pin).toBe('');
  });

  it('creates the link and only then holds the PIN; a refusal keeps the form and shows why', async () => {
    let fail = true;
    const { ask, calls } = recordingAsk(() => (fail ? new Error('The Latchkey server cannot be reached') : { id: 'x', url: 'u', title: 'Mail', expiresAt: 2 }));
    const d = new LinkDraft(ask, [{ id: 'a', title: 'Mail' }], { makePin: async () => '98765' });
    expect(await d.submit()).toBe(false);
    expect(d.formError).toMatch(/cannot be reached/);
    expect(d.pin).toBe('');
    fail = false;
    expect(await d.submit()).toBe(true);
    expect(d.pin).toBe('98765');
    expect(d.created?.url).toBe('u');
    expect(calls.map((c) => c.type)).toEqual(['links.create', 'links.create']);
  });

  it('names several entries in its default title', () => {
    const d = new LinkDraft(recordingAsk().ask, [{ id: 'a', title: 'A' }, { id: 'b', title: 'B' }]);
    expect(d.title).toContain('2');
  });
});

describe('LinkDelivery', () => {
  const link = { id: 'x', url: 'http://s.example/l/AAAA#sec', title: 'Wiki login', expiresAt: 1 };

  it('drafts a mail with the title, note and link', () => {
    const href = mailtoHref(link, 'Here you go', 'bob@example.org');
    const url = new URL(href);
    expect(url.protocol).toBe('mailto:');
    expect(url.searchParams.get('subject')).toBe('Wiki login');
    expect(url.searchParams.get('body')).toBe('Here you go\n\nhttp://s.example/l/AAAA#sec');
  });

  it('checks the address and note before asking the server to email it', async () => {
    const { ask, calls } = recordingAsk(() => undefined);
    const d = new LinkDelivery(ask, link);
    d.to = 'nope';
    d.note = 'x'.repeat(501);
    expect(await d.send()).toBe(false);
    expect(Object.keys(d.errors).sort()).toEqual(['note', 'to']);
    expect(calls).toHaveLength(0);
    d.to = 'bob@example.org';
    d.note = 'hi';
    expect(await d.send()).toBe(true);
    expect(calls[0]).toEqual({ type: 'links.sendEmail', payload: { id: 'x', to: 'bob@example.org', senderName: '', note: 'hi' } });
  });
});

describe('Selection', () => {
  it('toggles entries and forgets them when stopped', () => {
    const s = new Selection();
    s.start();
    s.toggle({ id: 'a', title: 'A' });
    s.toggle({ id: 'b', title: 'B' });
    s.toggle({ id: 'a', title: 'A' });
    expect(s.entries()).toEqual([{ id: 'b', title: 'B' }]);
    s.stop();
    expect([s.active, s.size]).toEqual([false, 0]);
  });
});

describe('PickupSave', () => {
  it('reads the page only when asked, refuses anything but a v1 pick-up, and saves into the folder', async () => {
    const { ask, calls } = recordingAsk((type) => (type === 'links.isPickup' ? true : { saved: 1 }));
    let reads = 0;
    let page: unknown = { v: 2, entries: [{}] };
    const p = new PickupSave(ask, async () => (reads++, page));
    await p.check({ id: 4, url: 'http://s.example/l/AAAAAAAAAAAAAAAAAAAAAA' });
    expect([p.available, reads]).toEqual([true, 0]);
    expect(await p.read()).toBe(false);
    expect(p.error).not.toBe('');
    page = { v: 1, linkId: 'x', entries: [{ title: 'Wiki', username: 'bob', password: 'p', urls: [] }] };
    expect(await p.read()).toBe(true);
    p.folder = 'Shared';
    expect(await p.save()).toBe(true);
    expect(calls.at(-1)).toEqual({ type: 'links.saveShared', payload: { entries: [{ title: 'Wiki', username: 'bob', password: 'p', urls: [] }], folder: 'Shared' } });
  });
});
