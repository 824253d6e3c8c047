// The autofill service inside the real background (fakeBrowser, fake IndexedDB). Frames are
// simulated: each "frame" answers a trigger by claiming through the router with its own sender,
// exactly as the content script does.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { startTestBackground } from '../background/harness';
import { emptyEntryFields, type EntryFields } from '../../../lib/model/entry';
import type { ClaimAnswer, ContentCommand, FormReport, ReadyFill } from '../../../lib/messages/autofill-protocol';
import type { Envelope } from '../../../lib/messages/protocol';
import { AUTOLOGIN_COOLDOWN_MS, OPEN_WINDOW_MS, STEP_MEMORY_MS } from '../../../lib/autofill/policy';

type Bg = ReturnType<typeof startTestBackground>;
interface FakeFrame {
  frameId: number;
  url: string;
  form: Partial<FormReport>;
}

const form = (f: Partial<FormReport>, url: string): FormReport => ({ kind: 'login', actionOrigin: new URL(url).origin, focused: false, referrer: '', ...f });
const senderOf = (tabId: number, frameId: number, url: string, topUrl = url) => ({
  id: fakeBrowser.runtime.id,
  url,
  origin: new URL(url).origin,
  tab: { id: tabId, url: topUrl },
  frameId,
});

async function claim(bg: Bg, tabId: number, frame: FakeFrame, intentId?: string): Promise<ClaimAnswer> {
  const reply = (await bg.router.dispatch({ latchkey: 1, type: 'autofill.claim', payload: { intentId, form: form(frame.form, frame.url) } }, senderOf(tabId, frame.frameId, frame.url))) as Envelope<ClaimAnswer>;
  if (!reply.ok) throw new Error(reply.message);
  return reply.value;
}

/** Makes tabs.sendMessage reach these frames, which claim (and report the fill) like the content script. */
function simulateFrames(bg: Bg, frames: FakeFrame[]) {
  const answers = new Map<number, ClaimAnswer>();
  (fakeBrowser.tabs as unknown as { sendMessage: unknown }).sendMessage = async (tabId: number, message: ContentCommand, options?: { frameId?: number }) => {
    if (message.type !== 'autofill.trigger') return undefined;
    const targets = frames.filter((f) => options?.frameId === undefined || f.frameId === options.frameId);
    const results = await Promise.all(
      targets.map(async (f) => {
        const answer = await claim(bg, tabId, f, message.intentId);
        answers.set(f.frameId, answer);
        if (answer && 'fill' in answer) {
          await bg.router.dispatch({ latchkey: 1, type: 'autofill.result', payload: { intentId: message.intentId, result: 'filled' } }, senderOf(tabId, f.frameId, f.url));
        }
        return { result: answer ? 'done' : 'nothing' };
      }),
    );
    return results[0];
  };
  return answers;
}

let bg: Bg;
let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(async () => {
  fakeBrowser.reset();
  fetchMock = vi.fn(async () => new Response(null, { status: 200 }));
  vi.stubGlobal('fetch', fetchMock);
  bg = startTestBackground();
  await bg.must('session.create', { password: 'master password for tests' });
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

async function add(fields: Omit<Partial<EntryFields>, 'autologin'> & { autologin?: Partial<EntryFields['autologin']> }) {
  const base = emptyEntryFields();
  return (await bg.must('vault.save', { fields: { ...base, ...fields, autologin: { ...base.autologin, ...fields.autologin } } })).id;
}

async function tab(url: string, openerTabId?: number) {
  const t = await fakeBrowser.tabs.create({ url });
  // fakeBrowser does not keep openerTabId: tell the listeners the way the browser would.
  if (openerTabId !== undefined) await fakeBrowser.tabs.onCreated.trigger({ ...t, openerTabId });
  return t.id!;
}

describe('a fill the person asked for (popup)', () => {
  it("fills the top frame with its own origin's entry; a frame of another origin gets nothing", async () => {
    await add({ username: 'alice', password: 'pw-a', urls: ['https://a.example'] });
    const tabId = await tab('https://a.example/login');
    const answers = simulateFrames(bg, [
      { frameId: 0, url: 'https://a.example/login', form: { kind: 'login' } },
      { frameId: 5, url: 'https://b.example/widget', form: { kind: 'login' } },
    ]);
    expect(await bg.must('autofill.fill', { tabId })).toMatchObject({ status: 'filled' });
    expect(answers.get(0)).toEqual({ fill: { username: 'alice', password: 'pw-a', submit: false, actionOrigin: 'https://a.example' } });
    expect(answers.get(5)).toBeNull();
  });

  it("fills a frame with that frame's entry when the top page has none", async () => {
    await add({ username: 'bob', password: 'pw-b', urls: ['https://b.example'] });
    const tabId = await tab('https://a.example/');
    const answers = simulateFrames(bg, [
      { frameId: 0, url: 'https://a.example/', form: { kind: 'login' } },
      { frameId: 5, url: 'https://b.example/widget', form: { kind: 'login' } },
    ]);
    expect(await bg.must('autofill.fill', { tabId })).toMatchObject({ status: 'filled' });
    expect(answers.get(0)).toBeNull();
    expect(answers.get(5)).toMatchObject({ fill: { username: 'bob', password: 'pw-b' } });
  });

  it('an entry named for another origin is refused', async () => {
    const id = await add({ username: 'alice', password: 'pw-a', urls: ['https://a.example'] });
    const tabId = await tab('https://evil.example/');
    const answers = simulateFrames(bg, [{ frameId: 0, url: 'https://evil.example/', form: { kind: 'login' } }]);
    const outcome = await bg.must('autofill.fill', { tabId, entryId: id });
    expect(outcome).toMatchObject({ status: 'refused' });
    expect(answers.get(0)).toBeNull();
  });

  it('sign-up forms get the generator, not the login', async () => {
    await add({ username: 'alice', password: 'pw-a', urls: ['https://a.example'] });
    const tabId = await tab('https://a.example/join');
    const answers = simulateFrames(bg, [{ frameId: 0, url: 'https://a.example/join', form: { kind: 'signup' } }]);
    const outcome = await bg.must('autofill.fill', { tabId });
    expect(outcome).toMatchObject({ status: 'refused' });
    expect(outcome.message).toMatch(/Generate password/);
    expect(answers.get(0)).toBeNull();
  });

  it('a form posting elsewhere is named first, then filled once that origin is accepted', async () => {
    await add({ username: 'alice', password: 'pw-a', urls: ['https://a.example'] });
    const tabId = await tab('https://a.example/login');
    const answers = simulateFrames(bg, [{ frameId: 0, url: 'https://a.example/login', form: { kind: 'login', actionOrigin: 'https://collector.example' } }]);
    expect(await bg.must('autofill.fill', { tabId })).toMatchObject({ status: 'confirm', actionOrigin: 'https://collector.example' });
    expect(answers.get(0)).toBeNull();
    expect(await bg.must('autofill.fill', { tabId, allowActionOrigin: 'https://collector.example' })).toMatchObject({ status: 'filled' });
    expect(answers.get(0)).toMatchObject({ fill: { actionOrigin: 'https://collector.example' } });
  });

  it('a certificate the service worker cannot verify means no fill', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    await add({ username: 'alice', password: 'pw-a', urls: ['https://a.example'] });
    const tabId = await tab('https://a.example/login');
    const answers = simulateFrames(bg, [{ frameId: 0, url: 'https://a.example/login', form: { kind: 'login' } }]);
    const outcome = await bg.must('autofill.fill', { tabId });
    expect(outcome.status).toBe('refused');
    expect(outcome.message).toMatch(/certificate/);
    expect(answers.get(0)).toBeNull();
  });

  it('is refused while locked', async () => {
    const tabId = await tab('https://a.example/login');
    await bg.must('session.lock');
    expect(await bg.ask('autofill.fill', { tabId })).toMatchObject({ ok: false, code: 'LOCKED' });
  });

  it('remembers the entry of a username step for the password step, for a few minutes', async () => {
    await add({ username: 'alice', password: 'pw-a', urls: ['https://a.example'] });
    const bob = await add({ username: 'bob', password: 'pw-b', urls: ['https://a.example'] });
    const tabId = await tab('https://a.example/login');
    let answers = simulateFrames(bg, [{ frameId: 0, url: 'https://a.example/login', form: { kind: 'username' } }]);
    await bg.must('autofill.fill', { tabId, entryId: bob });
    expect(answers.get(0)).toEqual({ fill: { username: 'bob', submit: false, actionOrigin: 'https://a.example' } });

    answers = simulateFrames(bg, [{ frameId: 0, url: 'https://a.example/password', form: { kind: 'password' } }]);
    await bg.must('autofill.fill', { tabId });
    expect(answers.get(0)).toEqual({ fill: { password: 'pw-b', submit: false, actionOrigin: 'https://a.example' } });

    const later = Date.now() + STEP_MEMORY_MS + 1_000;
    vi.spyOn(Date, 'now').mockReturnValue(later);
    await bg.must('autofill.fill', { tabId });
    expect(answers.get(0)).toMatchObject({ fill: { password: 'pw-a' } });
  });
});

describe('fill on load', () => {
  const page = 'https://a.example/login';

  it('fills a https top frame with the one matching entry, once per minute per form', async () => {
    await add({ username: 'alice', password: 'pw-a', urls: ['https://a.example'], autologin: { enabled: true, autoSubmit: true } });
    const tabId = await tab(page);
    expect(await claim(bg, tabId, { frameId: 0, url: page, form: {} })).toEqual({ fill: { username: 'alice', password: 'pw-a', submit: true, actionOrigin: 'https://a.example' } });
    expect(await claim(bg, tabId, { frameId: 0, url: page, form: {} })).toBeNull();
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + AUTOLOGIN_COOLDOWN_MS + 1_000);
    expect(await claim(bg, tabId, { frameId: 0, url: page, form: {} })).toMatchObject({ fill: { password: 'pw-a' } });
  });

  it('never in a frame, on http, in a page-opened tab, from another site, or with a foreign action', async () => {
    await add({ username: 'alice', password: 'pw-a', urls: ['https://a.example', 'http://a.example'], autologin: { enabled: true } });
    const tabId = await tab(page);
    expect(await claim(bg, tabId, { frameId: 2, url: page, form: {} })).toBeNull();
    expect(await claim(bg, tabId, { frameId: 0, url: 'http://a.example/login', form: {} })).toBeNull();
    expect(await claim(bg, tabId, { frameId: 0, url: page, form: { referrer: 'https://evil.example' } })).toBeNull();
    expect(await claim(bg, tabId, { frameId: 0, url: page, form: { actionOrigin: 'https://evil.example' } })).toBeNull();
    const popupTab = await tab(page, tabId);
    expect(await claim(bg, popupTab, { frameId: 0, url: page, form: {} })).toBeNull();
  });

  it('never when it is off or two entries match', async () => {
    await add({ username: 'alice', password: 'pw-a', urls: ['https://a.example'] });
    const tabId = await tab(page);
    expect(await claim(bg, tabId, { frameId: 0, url: page, form: {} })).toBeNull();
    await add({ username: 'bob', password: 'pw-b', urls: ['https://a.example'], autologin: { enabled: true } });
    expect(await claim(bg, tabId, { frameId: 0, url: page, form: {} })).toBeNull();
  });
});

describe('fill on load handed over as the document starts (autofill.ready)', () => {
  const page = 'https://a.example/login';
  const documentSender = (tabId: number, documentId: string | undefined, url = page, frameId = 0) => ({ ...senderOf(tabId, frameId, url), documentId });
  const ready = async (tabId: number, documentId: string | undefined, o: { url?: string; frameId?: number; referrer?: string } = {}) => {
    const reply = (await bg.router.dispatch({ latchkey: 1, type: 'autofill.ready', payload: { referrer: o.referrer ?? '' } }, documentSender(tabId, documentId, o.url, o.frameId))) as Envelope<ReadyFill | 'claim' | null>;
    if (!reply.ok) throw new Error(reply.message);
    return reply.value;
  };
  const used = (tabId: number, documentId: string, kind: 'login' | 'password' | 'username') =>
    bg.router.dispatch({ latchkey: 1, type: 'autofill.readyUsed', payload: { kind } }, documentSender(tabId, documentId));
  const commit = (tabId: number, documentId: string, url = page, transitionQualifiers: string[] = []) =>
    fakeBrowser.webNavigation.onCommitted.trigger({ tabId, frameId: 0, url, documentId, transitionQualifiers, transitionType: 'typed', processId: 1, timeStamp: Date.now() } as never);

  it('hands the one autologin entry to the top document once its navigation is known', async () => {
    await add({ username: 'alice', password: 'pw-a', urls: ['https://a.example'], autologin: { enabled: true, autoSubmit: true } });
    const tabId = await tab(page);
    // The document's first message may arrive before the browser reports its navigation.
    const answer = ready(tabId, 'doc-1');
    await commit(tabId, 'doc-1');
    expect(await answer).toEqual({ username: 'alice', password: 'pw-a', submit: true, kinds: ['login', 'password', 'username'] });
  });

  it('leaves it to the claim where the browser does not name the document, or has not reported this one', async () => {
    await add({ username: 'alice', password: 'pw-a', urls: ['https://a.example'], autologin: { enabled: true } });
    const tabId = await tab(page);
    expect(await ready(tabId, undefined)).toBe('claim');
    await commit(tabId, 'doc-2');
    expect(await ready(tabId, 'doc-1')).toBe('claim');
    // A browser that commits without naming documents: no wait.
    await commit(tabId, undefined as never);
    expect(await ready(tabId, 'doc-3')).toBe('claim');
    // Pages with nothing to fill on load are told so: no claim follows.
    await commit(tabId, 'doc-4', 'https://b.example/');
    expect(await ready(tabId, 'doc-4', { url: 'https://b.example/' })).toBeNull();
  });

  it('never at the end of a redirect, in a frame, on http, in a page-opened tab, from another site, when off or ambiguous', async () => {
    await add({ username: 'alice', password: 'pw-a', urls: ['https://a.example', 'http://a.example'], autologin: { enabled: true } });
    const tabId = await tab(page);
    await commit(tabId, 'redirected', page, ['server_redirect']);
    expect(await ready(tabId, 'redirected')).toBeNull();
    await commit(tabId, 'doc', page);
    expect(await ready(tabId, 'doc', { frameId: 3 })).toBeNull();
    expect(await ready(tabId, 'doc', { referrer: 'https://evil.example' })).toBeNull();
    expect(await ready(tabId, 'doc', { referrer: 'https://www.a.example' })).toMatchObject({ password: 'pw-a' });
    await commit(tabId, 'plain', 'http://a.example/login');
    expect(await ready(tabId, 'plain', { url: 'http://a.example/login' })).toBeNull();
    const popupTab = await tab(page, tabId);
    await commit(popupTab, 'popup-doc');
    expect(await ready(popupTab, 'popup-doc')).toBeNull();
    await commit(tabId, 'doc-again');
    expect(await ready(tabId, 'doc-again')).toMatchObject({ password: 'pw-a' });
    await add({ username: 'bob', password: 'pw-b', urls: ['https://a.example'] });
    expect(await ready(tabId, 'doc-again')).toBeNull();
  });

  it('a used fill counts for the cooldown of its kind and the step memory; an unused one does not', async () => {
    const id = await add({ username: 'alice', password: 'pw-a', urls: ['https://a.example'], autologin: { enabled: true } });
    const tabId = await tab(page);
    await commit(tabId, 'doc-1');
    expect(await ready(tabId, 'doc-1')).toMatchObject({ kinds: ['login', 'password', 'username'] });
    // Not used (no login form): the next page load gets it again.
    await commit(tabId, 'doc-2');
    expect(await ready(tabId, 'doc-2')).toMatchObject({ kinds: ['login', 'password', 'username'] });
    // A report from another document of the tab changes nothing.
    await used(tabId, 'doc-1', 'username');
    expect(await claim(bg, tabId, { frameId: 0, url: page, form: { kind: 'username' } })).toMatchObject({ fill: { username: 'alice' } });
    await commit(tabId, 'doc-3');
    expect(await ready(tabId, 'doc-3')).toMatchObject({ kinds: ['login', 'password'] });
    await used(tabId, 'doc-3', 'login');
    await commit(tabId, 'doc-4');
    expect(await ready(tabId, 'doc-4')).toMatchObject({ kinds: ['password'] });
    expect(await claim(bg, tabId, { frameId: 0, url: page, form: { kind: 'login' } })).toBeNull();
    // The next step, on a page of the same origin, gets the same entry from the step memory.
    await add({ username: 'bob', password: 'pw-b', urls: ['https://a.example'] });
    simulateFrames(bg, [{ frameId: 0, url: 'https://a.example/password', form: { kind: 'password' } }]);
    expect(await bg.must('autofill.fill', { tabId })).toMatchObject({ status: 'filled', entryId: id });
  });

  it('leaves "Open & log in" tabs to the claim', async () => {
    const id = await add({ username: 'alice', password: 'pw-a', urls: ['https://a.example/login'], autologin: { enabled: true } });
    const { tabId } = await bg.must('autofill.openAndLogin', { entryId: id });
    await commit(tabId, 'doc');
    expect(await ready(tabId, 'doc')).toBe('claim');
  });
});

describe('"Open & log in"', () => {
  it('fills the opened tab (top frame, matching origin) within the window, and no other', async () => {
    const id = await add({ username: 'alice', password: 'pw-a', urls: ['a.example/login'], autologin: { autoSubmit: true } });
    const { tabId } = await bg.must('autofill.openAndLogin', { entryId: id });
    const opened = await fakeBrowser.tabs.get(tabId);
    expect(opened.url).toBe('https://a.example/login');
    const other = await tab('https://a.example/login');
    expect(await claim(bg, other, { frameId: 0, url: 'https://a.example/login', form: {} })).toBeNull();
    expect(await claim(bg, tabId, { frameId: 1, url: 'https://a.example/login', form: {} })).toBeNull();
    expect(await claim(bg, tabId, { frameId: 0, url: 'https://evil.example/login', form: {} })).toBeNull();
    // A username step keeps the window open for the password step.
    expect(await claim(bg, tabId, { frameId: 0, url: 'https://a.example/login', form: { kind: 'username' } })).toEqual({
      fill: { username: 'alice', submit: true, actionOrigin: 'https://a.example' },
    });
    expect(await claim(bg, tabId, { frameId: 0, url: 'https://a.example/pw', form: { kind: 'password' } })).toMatchObject({ fill: { password: 'pw-a', submit: true } });
    // Used up.
    expect(await claim(bg, tabId, { frameId: 0, url: 'https://a.example/pw', form: { kind: 'password' } })).toBeNull();
  });

  it('expires', async () => {
    const id = await add({ username: 'alice', password: 'pw-a', urls: ['https://a.example'] });
    const { tabId } = await bg.must('autofill.openAndLogin', { entryId: id });
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + OPEN_WINDOW_MS + 1_000);
    expect(await claim(bg, tabId, { frameId: 0, url: 'https://a.example/', form: {} })).toBeNull();
  });

  it('needs a web address (an entry without one, since a non-web address can no longer be saved)', async () => {
    const id = await add({ username: 'alice', password: 'pw-a', urls: [] });
    expect(await bg.ask('autofill.openAndLogin', { entryId: id })).toMatchObject({ ok: false, code: 'BAD_INPUT' });
  });
});

describe('who may send what', () => {
  it('content scripts may only claim, report and load the core; the popup may not claim', async () => {
    const tabId = await tab('https://a.example/');
    const content = senderOf(tabId, 0, 'https://a.example/');
    for (const type of ['autofill.fill', 'autofill.openAndLogin', 'autofill.saveOffer', 'autofill.answerSaveOffer', 'vault.list'] as const) {
      const reply = (await bg.router.dispatch({ latchkey: 1, type, payload: {} }, content)) as Envelope<unknown>;
      expect(reply, type).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    }
    expect(await bg.ask('autofill.claim', { form: form({}, 'https://a.example/') })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await bg.ask('autofill.ready', { referrer: '' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await bg.ask('autofill.readyUsed', { kind: 'login' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await bg.ask('autofill.submitted', { kind: 'login', username: 'x', password: 'y' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });
});
