// Where fill on load may happen, the browser itself runs the autologin core at document_start, so
// that it is there before the page is parsed. Injecting it as the document commits
// (webNavigation, then scripting.executeScript) raced a small page's parsing and lost about half
// the time, adding a second round trip (the sentinel asking for the core) before the fill.
//
// The registration lives only while the vault is unlocked and only in memory
// (persistAcrossSessions: false): its patterns name the sites of entries with autologin on.

export const CORE_REGISTRATION_ID = 'latchkey-autologin-core';

/** The part of chrome.scripting this needs (absent in Firefox MV2 before 102, and in tests). */
export interface ScriptingLike {
  registerContentScripts(scripts: RegisteredScript[]): Promise<unknown>;
  updateContentScripts(scripts: RegisteredScript[]): Promise<unknown>;
  unregisterContentScripts(filter?: { ids?: string[] }): Promise<unknown>;
  getRegisteredContentScripts(filter?: { ids?: string[] }): Promise<{ id: string }[]>;
}

export interface RegisteredScript {
  id: string;
  matches: string[];
  js: string[];
  runAt: 'document_start';
  allFrames: false;
  persistAcrossSessions: false;
}

export interface CoreRegistration {
  /** Registers the core for these patterns (none: unregisters). Calls are applied in order. */
  set(patterns: string[]): Promise<void>;
  /** Whether the browser injects the core on this URL's pages as things stand. */
  covers(url: string): boolean;
}

export function createCoreRegistration(scripting: ScriptingLike | undefined, files: string[]): CoreRegistration {
  let applied: string[] = [];
  let wanted = '';
  let queue: Promise<void> = Promise.resolve();

  async function apply(patterns: string[]): Promise<void> {
    const ids = { ids: [CORE_REGISTRATION_ID] };
    const existing = await scripting!.getRegisteredContentScripts(ids);
    applied = [];
    if (patterns.length === 0) {
      if (existing.length) await scripting!.unregisterContentScripts(ids);
      return;
    }
    const script: RegisteredScript = { id: CORE_REGISTRATION_ID, matches: patterns, js: files, runAt: 'document_start', allFrames: false, persistAcrossSessions: false };
    if (existing.length) await scripting!.updateContentScripts([script]);
    else await scripting!.registerContentScripts([script]);
    applied = patterns;
  }

  return {
    set(patterns) {
      const key = patterns.join(' ');
      if (!scripting || key === wanted) return queue;
      wanted = key;
      // A pattern the browser refuses fails the whole call: then nothing is registered, and the
      // background injects the core as each document commits instead.
      queue = queue.then(() => apply(patterns)).catch(() => void (applied = []));
      return queue;
    },
    covers(url) {
      return applied.some((p) => patternCovers(p, url));
    },
  };
}

/** Whether an https pattern of ours ("https://host/*" or "https://*.domain/*") covers the URL. */
export function patternCovers(pattern: string, url: string): boolean {
  let host: string;
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:') return false;
    host = u.hostname;
  } catch {
    return false;
  }
  const h = pattern.slice('https://'.length, -'/*'.length);
  return h.startsWith('*.') ? host === h.slice(2) || host.endsWith(h.slice(1)) : host === h;
}
