import { describe, expect, it } from 'vitest';
import { lastSyncText, lastSyncValue, serverName, syncLineText } from '../../../lib/ui/sync-line';
import type { AccountStatus } from '../../../lib/messages/sync-protocol';

const NOW = new Date(2026, 11, 5, 15, 30).getTime();
const signedIn = (over: Partial<AccountStatus> = {}): AccountStatus => ({
  signedIn: true, serverUrl: 'https://sync.example.org:8443', username: 'ann', pending: 0, conflicts: 0, live: true, offline: false, ...over,
});

describe('serverName', () => {
  it('keeps host and port, drops the scheme and path', () => {
    expect(serverName('https://sync.example.org:8443/')).toBe('sync.example.org:8443');
    expect(serverName('http://127.0.0.1:8787')).toBe('127.0.0.1:8787');
  });
  it('shows what it was given when it is not a URL', () => {
    expect(serverName('not a url')).toBe('not a url');
  });
});

describe('lastSyncText', () => {
  it('says "not yet" when the vault never synced', () => {
    expect(lastSyncText(undefined, NOW)).toBe('not yet');
    expect(lastSyncText(0, NOW)).toBe('not yet');
  });
  it('gives the time alone today, and the date with it before today, in the locale', () => {
    const today = new Date(2026, 11, 5, 9, 5).getTime();
    const earlier = new Date(2026, 10, 28, 9, 5).getTime();
    expect(lastSyncText(today, NOW)).toBe(new Intl.DateTimeFormat('en', { timeStyle: 'short' }).format(today));
    expect(lastSyncText(earlier, NOW)).toBe(new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(earlier));
    expect(lastSyncText(earlier, NOW)).toContain('2026');
  });
});

describe('syncLineText', () => {
  it('says the vault is not signed in', () => {
    expect(syncLineText({ signedIn: false, serverUrl: '', pending: 0, conflicts: 0, live: false, offline: false }, NOW)).toBe('Not signed in: this vault is only in this browser');
  });
  it('names account, server, live and the last sync', () => {
    const at = new Date(2026, 11, 5, 9, 5).getTime();
    const time = new Intl.DateTimeFormat('en', { timeStyle: 'short' }).format(at);
    expect(syncLineText(signedIn({ lastSyncAt: at }), NOW)).toBe(`ann on sync.example.org:8443 · live · last sync ${time}`);
  });
  it('says offline when the server cannot be reached, and "not yet" before the first sync', () => {
    expect(syncLineText(signedIn({ live: false, offline: true }), NOW)).toBe('ann on sync.example.org:8443 · offline · last sync not yet');
  });
  it('says connecting while not live but not known to be offline either (just unlocked)', () => {
    expect(syncLineText(signedIn({ live: false }), NOW)).toBe('ann on sync.example.org:8443 · connecting · last sync not yet');
  });
});

describe('lastSyncValue (the options page)', () => {
  const at = new Date(2026, 11, 5, 9, 5).getTime();
  const when = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(at);
  it('gives the full date and says live, offline or connecting, as the popup line does', () => {
    expect(lastSyncValue(signedIn({ lastSyncAt: at }))).toBe(`${when} · live`);
    expect(lastSyncValue(signedIn({ lastSyncAt: at, live: false, offline: true }))).toBe(`${when} · offline`);
    expect(lastSyncValue(signedIn({ lastSyncAt: at, live: false }))).toBe(`${when} · connecting`);
  });
  it('says "not yet" before the first sync', () => {
    expect(lastSyncValue(signedIn({ live: false, offline: true }))).toBe('not yet · offline');
  });
});
