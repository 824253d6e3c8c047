// The one-time-code step of autologin in the real background (fakeBrowser, fake IndexedDB): the
// code is made in the background from the entry's secret, for the frame's own origin only, and
// "Open & log in" fills it on the step after the password and copies it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { TOTP } from 'otpauth';
import { startTestBackground } from '../background/harness';
import { emptyEntryFields, type EntryFields } from '../../../lib/model/entry';
import type { ClaimAnswer, ContentCommand, FormReport } from '../../../lib/messages/autofill-protocol';
import type { Envelope } from '../../../lib/messages/protocol';

type Bg = ReturnType<typeof startTestBackground>;
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const URI = `otpauth://totp/Example:alice?secret=${SECRET}&issuer=Example`;
const totp = new TOTP({ secret: SECRET });
/** The code now, or the one before it should the period have turned during the test. */
const codeNow = () => expect.stringMatching(new RegExp(`^(${totp.generate()}|${totp.generate({ timestamp: Date.now() - 30_000 })})$`));

let bg: Bg;

const senderOf = (tabId: number, frameId: number, url: string) => ({ id: fakeBrowser.runtime.id, url, origin: new URL(url).origin, tab: { id: tabId, url }, frameId });
const formOf = (kind: FormReport['kind'], url: string): FormReport => ({ kind, actionOrigin: new URL(url).origin, focused: false, referrer: '' });

async function claim(tabId: number, frameId: number, url: string, kind: FormReport['kind'], intentId?: string): Promise<ClaimAnswer> {
  const reply = (await bg.router.dispatch({ latchkey: 1, type: 'autofill.claim', payload: { intentId, form: formOf(kind, url) } }, senderOf(tabId, frameId, url))) as Envelope<ClaimAnswer>;
  if (!reply.ok) throw new Error(reply.message);
  return reply.value;
}

async function add(fields: Omit<Partial<EntryFields>, 'autologin'> & { autologin?: Partial<EntryFields['autologin']> }) {
  const base = emptyEntryFields();
  return (await bg.must('vault.save', { fields: { ...base, ...fields, autologin: { ...base.autologin, ...fields.autologin } } })).id;
}

/** Frames of a tab that claim a popup fill as the content script does; their answers by frame id. */
function frames(list: { frameId: number; url: string; kind: FormReport['kind'] }[]) {
  const answers = new Map<number, ClaimAnswer>();
  (fakeBrowser.tabs as unknown as { sendMessage: unknown }).sendMessage = async (tabId: number, message: ContentCommand) => {
    if (message.type !== 'autofill.trigger') return undefined;
    await Promise.all(
      list.map(async (f) => {
        const answer = await claim(tabId, f.frameId, f.url, f.kind, message.intentId);
        answers.set(f.frameId, answer);
        if (answer && 'fill' in answer) await bg.router.dispatch({ latchkey: 1, type: 'autofill.result', payload: { intentId: message.intentId, result: 'filled' } }, senderOf(tabId, f.frameId, f.url));
      }),
    );
    return { result: 'done' };
  };
  return answers;
}

beforeEach(async () => {
  fakeBrowser.reset();
  vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 200 })));
  bg = startTestBackground();
  await bg.must('session.create', { password: 'master password for tests' });
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('the one-time-code step', () => {
  it('the popup fills the current code (never the secret) into the top frame of the entry’s own origin; another origin’s frame gets nothing', async () => {
    await add({ username: 'alice', password: 'pw-a', urls: ['https://a.example'], totp: URI });
    const tabId = (await fakeBrowser.tabs.create({ url: 'https://a.example/code' })).id!;
    const answers = frames([
      { frameId: 0, url: 'https://a.example/code', kind: 'otp' },
      { frameId: 4, url: 'https://b.example/code', kind: 'otp' },
    ]);
    expect(await bg.must('autofill.fill', { tabId })).toMatchObject({ status: 'filled' });
    const order = answers.get(0);
    expect(order).toEqual({ fill: { code: codeNow(), submit: false, actionOrigin: 'https://a.example' } });
    expect(JSON.stringify(order)).not.toContain(SECRET);
    expect(answers.get(4)).toBeNull();
  });

  it('a page of another site with only a code field gets nothing, and says why', async () => {
    await add({ username: 'alice', password: 'pw-a', urls: ['https://a.example'], totp: URI });
    const tabId = (await fakeBrowser.tabs.create({ url: 'https://evil.example/code' })).id!;
    const answers = frames([{ frameId: 0, url: 'https://evil.example/code', kind: 'otp' }]);
    expect(await bg.must('autofill.fill', { tabId })).toMatchObject({ status: 'refused' });
    expect(answers.get(0)).toBeNull();
  });

  it('an entry without a secret is refused with a reason, not filled', async () => {
    await add({ title: 'Plain', username: 'alice', password: 'pw-a', urls: ['https://a.example'] });
    const tabId = (await fakeBrowser.tabs.create({ url: 'https://a.example/code' })).id!;
    const answers = frames([{ frameId: 0, url: 'https://a.example/code', kind: 'otp' }]);
    expect(await bg.must('autofill.fill', { tabId })).toMatchObject({ status: 'refused', message: expect.stringContaining('no one-time code') });
    expect(answers.get(0)).toBeNull();
  });

  it('fill on load fills a code step only where the login itself would be filled on load (autologin on, https)', async () => {
    await add({ username: 'alice', password: 'pw-a', urls: ['https://a.example'], totp: URI });
    const tabId = (await fakeBrowser.tabs.create({ url: 'https://a.example/code' })).id!;
    expect(await claim(tabId, 0, 'https://a.example/code', 'otp')).toBeNull(); // autologin is off
    await add({ username: 'bob', password: 'pw-b', urls: ['https://c.example'], totp: URI, autologin: { enabled: true, autoSubmit: true } });
    const other = (await fakeBrowser.tabs.create({ url: 'https://c.example/code' })).id!;
    expect(await claim(other, 0, 'https://c.example/code', 'otp')).toEqual({ fill: { code: codeNow(), submit: true, actionOrigin: 'https://c.example' } });
    expect(await claim(other, 3, 'https://c.example/code', 'otp')).toBeNull(); // never a frame on load
  });
});

describe('"Open & log in" with a one-time code', () => {
  it('fills the password, copies the code, then fills the code step once, and nothing else', async () => {
    const id = await add({ username: 'alice', password: 'pw-a', urls: ['https://a.example/login'], totp: URI, autologin: { autoSubmit: true } });
    const { tabId } = await bg.must('autofill.openAndLogin', { entryId: id });
    expect(await claim(tabId, 0, 'https://a.example/login', 'login')).toMatchObject({ fill: { username: 'alice', password: 'pw-a' } });
    await vi.waitFor(() => expect(bg.copied).toEqual([codeNow()]));
    expect(bg.cleared).toContain(bg.copied[0]); // and cleared later, as every copy
    // The login page again (a failed login) is not filled again by this window.
    expect(await claim(tabId, 0, 'https://a.example/login', 'login')).toBeNull();
    expect(await claim(tabId, 0, 'https://a.example/code', 'otp')).toEqual({ fill: { code: codeNow(), submit: true, actionOrigin: 'https://a.example' } });
    expect(await claim(tabId, 0, 'https://a.example/code', 'otp')).toBeNull(); // used up
  });

  it('an entry without a secret closes the window after the password and copies nothing', async () => {
    const id = await add({ username: 'alice', password: 'pw-a', urls: ['https://a.example/login'] });
    const { tabId } = await bg.must('autofill.openAndLogin', { entryId: id });
    expect(await claim(tabId, 0, 'https://a.example/login', 'login')).toMatchObject({ fill: { password: 'pw-a' } });
    expect(await claim(tabId, 0, 'https://a.example/code', 'otp')).toBeNull();
    expect(bg.copied).toEqual([]);
  });
});
