import { describe, expect, it } from 'vitest';
import {
  actionVerdict,
  autologinRefusal,
  entryFitsFrame,
  fieldsFor,
  frameRefusal,
  memoryKey,
  openLoginRefusal,
  rememberedEntry,
  AUTOLOGIN_COOLDOWN_MS,
  OPEN_WINDOW_MS,
  STEP_MEMORY_MS,
  type AutologinContext,
  type FrameInfo,
  type StepMemory,
} from '../../../lib/autofill/policy';

const top: FrameInfo = { tabId: 1, frameId: 0, origin: 'https://bank.com', url: 'https://bank.com/login' };
const entry = (over: Partial<{ urls: string[]; enabled: boolean; autoSubmit: boolean; match: 'host' | 'domain' }> = {}) => ({
  urls: over.urls ?? ['https://bank.com'],
  autologin: { enabled: over.enabled ?? true, autoSubmit: over.autoSubmit ?? false, match: over.match ?? ('host' as const) },
});

describe('frames (SECURITY.md 4)', () => {
  it('gives nothing to sandboxed, blank, data, blob and non-web frames', () => {
    expect(frameRefusal({ origin: 'null', url: 'https://bank.com/x' })).toBeDefined();
    expect(frameRefusal({ origin: '', url: 'https://bank.com/x' })).toBeDefined();
    expect(frameRefusal({ origin: 'https://bank.com', url: 'about:blank' })).toBeDefined();
    expect(frameRefusal({ origin: 'https://bank.com', url: 'blob:https://bank.com/1' })).toBeDefined();
    expect(frameRefusal({ origin: 'null', url: 'data:text/html,x' })).toBeDefined();
    expect(frameRefusal({ origin: 'chrome-extension://abc', url: 'chrome-extension://abc/x' })).toBeDefined();
    expect(frameRefusal(top)).toBeUndefined();
  });

  it("judges an entry by the frame's own origin", () => {
    expect(entryFitsFrame(entry(), top)).toBe(true);
    expect(entryFitsFrame(entry(), { origin: 'https://ads.example' })).toBe(false);
    expect(entryFitsFrame(entry({ match: 'domain' }), { origin: 'https://www.bank.com' })).toBe(true);
  });
});

describe('form actions (SECURITY.md 8)', () => {
  it('same origin is fine either way', () => {
    expect(actionVerdict('https://bank.com', 'https://bank.com', 'auto')).toBe('ok');
    expect(actionVerdict('https://bank.com', 'https://bank.com', 'click')).toBe('ok');
  });
  it('another origin: never automatically; a click asks first and goes ahead once that exact origin is accepted', () => {
    expect(actionVerdict('https://bank.com', 'https://evil.net', 'auto')).toBe('refuse');
    expect(actionVerdict('https://bank.com', 'https://evil.net', 'auto', 'https://evil.net')).toBe('refuse');
    expect(actionVerdict('https://bank.com', 'https://evil.net', 'click')).toBe('confirm');
    expect(actionVerdict('https://bank.com', 'https://evil.net', 'click', 'https://other.net')).toBe('confirm');
    expect(actionVerdict('https://bank.com', 'https://evil.net', 'click', 'https://evil.net')).toBe('ok');
    expect(actionVerdict('https://bank.com', 'http://bank.com', 'click')).toBe('confirm');
  });
});

describe('fill on load (SECURITY.md 3)', () => {
  const base: AutologinContext = { frame: top, kind: 'login', matches: [entry()], openedByPage: false, referrer: '', redirected: false, now: 1_000_000 };
  const refuse = (over: Partial<AutologinContext>) => autologinRefusal({ ...base, ...over });

  it('fills a https top frame with exactly one matching entry that opted in', () => {
    expect(refuse({})).toBeUndefined();
    expect(refuse({ kind: 'password' })).toBeUndefined();
    expect(refuse({ kind: 'username' })).toBeUndefined();
    expect(refuse({ referrer: 'https://login.bank.com' })).toBeUndefined();
  });

  it('refuses every other case', () => {
    expect(refuse({ matches: [entry({ enabled: false })] })).toMatch(/off/);
    expect(refuse({ matches: [] })).toMatch(/no entry/);
    expect(refuse({ matches: [entry(), entry()] })).toMatch(/more than one/);
    expect(refuse({ matches: [entry(), entry({ enabled: false })] })).toMatch(/more than one/);
    expect(refuse({ frame: { ...top, frameId: 3 } })).toMatch(/top frame/);
    expect(refuse({ frame: { ...top, origin: 'http://bank.com', url: 'http://bank.com/' } })).toMatch(/https/);
    expect(refuse({ openedByPage: true })).toMatch(/opened by a page/);
    expect(refuse({ redirected: true })).toMatch(/redirect/);
    expect(refuse({ referrer: 'https://evil.net' })).toMatch(/another site/);
    expect(refuse({ kind: 'signup' })).toMatch(/not a login/);
    expect(refuse({ kind: 'change-password' })).toMatch(/not a login/);
    expect(refuse({ lastAutoFillAt: base.now - AUTOLOGIN_COOLDOWN_MS + 1 })).toMatch(/a moment ago/);
    expect(refuse({ lastAutoFillAt: base.now - AUTOLOGIN_COOLDOWN_MS - 1 })).toBeUndefined();
  });
});

describe('"Open & log in" (SECURITY.md 2)', () => {
  const intent = { tabId: 1, entryId: 'e', expiresAt: 1_000 + OPEN_WINDOW_MS };
  it('fills only that tab, its top frame, in the window, while the origin matches', () => {
    expect(openLoginRefusal(intent, top, entry(), 'login', 1_000)).toBeUndefined();
    expect(openLoginRefusal(intent, { ...top, tabId: 2 }, entry(), 'login', 1_000)).toBeDefined();
    expect(openLoginRefusal(intent, { ...top, frameId: 1 }, entry(), 'login', 1_000)).toBeDefined();
    expect(openLoginRefusal(intent, top, entry(), 'login', intent.expiresAt + 1)).toBeDefined();
    expect(openLoginRefusal(intent, { ...top, origin: 'https://evil.net', url: 'https://evil.net/' }, entry(), 'login', 1_000)).toBeDefined();
    expect(openLoginRefusal(intent, top, entry(), 'signup', 1_000)).toBeDefined();
  });
});

describe('multi-step memory (SECURITY.md 12)', () => {
  const memory = new Map<string, StepMemory>([[memoryKey(1, 'https://bank.com'), { entryId: 'e1', at: 0 }]]);
  it('is for that tab and origin, for a few minutes', () => {
    expect(rememberedEntry(memory, 1, 'https://bank.com', STEP_MEMORY_MS)).toBe('e1');
    expect(rememberedEntry(memory, 1, 'https://bank.com', STEP_MEMORY_MS + 1)).toBeUndefined();
    expect(rememberedEntry(memory, 2, 'https://bank.com', 10)).toBeUndefined();
    expect(rememberedEntry(memory, 1, 'https://login.bank.com', 10)).toBeUndefined();
  });
});

describe('what an order carries', () => {
  const e = { username: 'u', password: 'p' };
  it('a username step gets no password, a password step no username, sign-ups nothing', () => {
    expect(fieldsFor('login', e)).toEqual({ username: 'u', password: 'p' });
    expect(fieldsFor('username', e)).toEqual({ username: 'u' });
    expect(fieldsFor('password', e)).toEqual({ password: 'p' });
    expect(fieldsFor('signup', e)).toEqual({});
    expect(fieldsFor('change-password', e)).toEqual({});
    expect(fieldsFor('none', e)).toEqual({});
  });
});
