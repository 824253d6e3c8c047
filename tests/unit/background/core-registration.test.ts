import { describe, expect, it } from 'vitest';
import { CORE_REGISTRATION_ID, createCoreRegistration, type RegisteredScript, type ScriptingLike } from '../../../lib/background/core-registration';

/** chrome.scripting's registered content scripts, in memory, refusing what Chrome refuses. */
function fakeScripting() {
  const scripts = new Map<string, RegisteredScript>();
  const calls: string[] = [];
  const valid = (s: RegisteredScript) => s.matches.every((m) => /^https:\/\/(\*\.)?[a-z0-9.-]+\/\*$/.test(m));
  const api: ScriptingLike = {
    async registerContentScripts([s]) {
      calls.push('register');
      if (scripts.has(s!.id)) throw new Error('Duplicate script ID');
      if (!valid(s!)) throw new Error('Invalid match pattern');
      scripts.set(s!.id, s!);
    },
    async updateContentScripts([s]) {
      calls.push('update');
      if (!scripts.has(s!.id)) throw new Error('No such script');
      if (!valid(s!)) throw new Error('Invalid match pattern');
      scripts.set(s!.id, s!);
    },
    async unregisterContentScripts(filter) {
      calls.push('unregister');
      for (const id of filter?.ids ?? [...scripts.keys()]) scripts.delete(id);
    },
    async getRegisteredContentScripts(filter) {
      return [...scripts.values()].filter((s) => !filter?.ids || filter.ids.includes(s.id));
    },
  };
  return { api, scripts, calls };
}

describe('createCoreRegistration', () => {
  it('registers the core for the patterns, in memory only, top frame at document_start', async () => {
    const { api, scripts } = fakeScripting();
    const reg = createCoreRegistration(api, ['autologin-deep.js', 'autologin-core.js']);
    await reg.set(['https://bank.com/*']);
    expect(scripts.get(CORE_REGISTRATION_ID)).toEqual({
      id: CORE_REGISTRATION_ID,
      matches: ['https://bank.com/*'],
      js: ['autologin-deep.js', 'autologin-core.js'],
      runAt: 'document_start',
      allFrames: false,
      persistAcrossSessions: false,
    });
    expect(reg.covers('https://bank.com/login')).toBe(true);
    expect(reg.covers('https://www.bank.com/')).toBe(false);
    expect(reg.covers('http://bank.com/')).toBe(false);
  });

  it('updates in order, skips an unchanged set, and unregisters when nothing is left (lock)', async () => {
    const { api, scripts, calls } = fakeScripting();
    const reg = createCoreRegistration(api, ['core.js']);
    void reg.set(['https://a.example/*']);
    void reg.set(['https://a.example/*']);
    await reg.set(['https://*.b.example/*']);
    expect(calls).toEqual(['register', 'update']);
    expect(scripts.get(CORE_REGISTRATION_ID)?.matches).toEqual(['https://*.b.example/*']);
    expect(reg.covers('https://x.b.example/')).toBe(true);
    expect(reg.covers('https://a.example/')).toBe(false);
    await reg.set([]);
    expect(scripts.size).toBe(0);
    expect(reg.covers('https://x.b.example/')).toBe(false);
  });

  it('a refused pattern leaves nothing covered (the background injects at commit instead)', async () => {
    const { api } = fakeScripting();
    const reg = createCoreRegistration(api, ['core.js']);
    await reg.set(['https://bank.com:8443/*']);
    expect(reg.covers('https://bank.com/')).toBe(false);
    await reg.set(['https://bank.com/*']);
    expect(reg.covers('https://bank.com/')).toBe(true);
  });

  it('without the API, nothing is covered', async () => {
    const reg = createCoreRegistration(undefined, ['core.js']);
    await reg.set(['https://bank.com/*']);
    expect(reg.covers('https://bank.com/')).toBe(false);
  });
});
