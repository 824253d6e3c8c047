import { describe, expect, it } from 'vitest';
import { AppError } from '../../../lib/errors';
import { classifySender, createMessageRouter } from '../../../lib/messages/router';

const ID = 'abcdefghijklmnop';
const ORIGIN = `chrome-extension://${ID}`;
const identify = (s: Parameters<typeof classifySender>[0]) => classifySender(s, ID, ORIGIN);

describe('classifySender', () => {
  it('recognises our own pages by exact path', () => {
    expect(identify({ id: ID, url: `${ORIGIN}/popup.html` })?.kind).toBe('popup');
    expect(identify({ id: ID, url: `${ORIGIN}/options.html#x` })?.kind).toBe('options');
    expect(identify({ id: ID, url: `${ORIGIN}/offscreen.html` })?.kind).toBe('offscreen');
    expect(identify({ id: ID, url: `${ORIGIN}/other.html` })).toBeUndefined();
  });

  it('treats a frame in a tab as a content script with the frame’s own origin', () => {
    const s = identify({ id: ID, url: 'https://b.example/frame', origin: 'https://b.example', tab: { id: 3, url: 'https://a.example/' }, frameId: 5 });
    expect(s).toEqual({ kind: 'content', tabId: 3, frameId: 5, origin: 'https://b.example', url: 'https://b.example/frame' });
  });

  it('refuses other extensions and senders without a tab', () => {
    expect(identify({ id: 'other', url: `chrome-extension://other/popup.html` })).toBeUndefined();
    expect(identify({ id: ID, url: 'https://a.example/' })).toBeUndefined();
  });

  it('does not let a page pretend to be the popup through its URL', () => {
    const s = identify({ id: ID, url: `https://evil.example/${ORIGIN}/popup.html`, tab: { id: 1 } });
    expect(s?.kind).toBe('content');
  });
});

describe('message router', () => {
  it('refuses registering a handler twice', () => {
    const router = createMessageRouter(identify);
    router.on('session.lock', () => undefined);
    expect(() => router.on('session.lock', () => undefined)).toThrow(/already registered/);
  });

  it('wraps values and AppErrors in envelopes and hides other errors', async () => {
    const router = createMessageRouter(identify);
    router.on('session.status', () => ({ vault: 'none', idleMinutes: 15, lockOnSystemLock: true }));
    router.on('session.lock', () => {
      throw new AppError('LOCKED', 'Locked.');
    });
    router.on('session.touch', () => {
      throw new Error('internal detail with secret hunter2');
    });
    const popup = { id: ID, url: `${ORIGIN}/popup.html` };
    expect(await router.dispatch({ latchkey: 1, type: 'session.status' }, popup)).toEqual({ ok: true, value: { vault: 'none', idleMinutes: 15, lockOnSystemLock: true } });
    expect(await router.dispatch({ latchkey: 1, type: 'session.lock' }, popup)).toMatchObject({ ok: false, code: 'LOCKED' });
    const hidden = await router.dispatch({ latchkey: 1, type: 'session.touch' }, popup);
    expect(hidden).toMatchObject({ ok: false, code: 'INTERNAL' });
    expect(JSON.stringify(hidden)).not.toContain('hunter2');
  });

  it('checks the sender allow-list before the handler runs', async () => {
    const router = createMessageRouter(identify);
    let ran = false;
    router.on('vault.list', () => {
      ran = true;
      return { entries: [], problems: [] };
    });
    const content = { id: ID, url: 'https://a.example/', tab: { id: 1 } };
    expect(await router.dispatch({ latchkey: 1, type: 'vault.list' }, content)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(ran).toBe(false);
  });

  it('ignores messages that are not ours or have no handler', () => {
    const router = createMessageRouter(identify);
    expect(router.dispatch({ type: 'vault.list' }, { id: ID })).toBeUndefined();
    expect(router.dispatch({ latchkey: 1, type: 'nope' }, { id: ID })).toBeUndefined();
  });
});
