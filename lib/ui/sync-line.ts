// "Where am I?": the popup's one line about where the vault syncs to and when it last did, and the
// options page's "Last sync", which says the same.
import { formatDate, t } from '../i18n';
import type { AccountStatus } from '../messages/sync-protocol';

/** The server as people know it: its host and port (https://sync.example.org:8443 → sync.example.org:8443). */
export function serverName(serverUrl: string): string {
  try {
    return new URL(serverUrl).host || serverUrl;
  } catch {
    return serverUrl;
  }
}

/** When the vault last synced, in the browser's locale: the time alone today, the date too before. */
export function lastSyncText(at: number | undefined, now: number): string {
  if (!at) return t('accountNotYet');
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  return formatDate(at, sameDay ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' });
}

/** The line itself: not signed in, or the account and server, live, offline or connecting, and the last sync. */
export function syncLineText(status: AccountStatus, now: number): string {
  if (!status.signedIn) return t('syncLineNotSignedIn');
  const user = status.username ?? '';
  const server = serverName(status.serverUrl);
  const when = lastSyncText(status.lastSyncAt, now);
  if (status.live) return t('syncLineLive', user, server, when);
  // Neither live nor known to be unreachable: just unlocked, or the stream is starting again.
  return status.offline ? t('syncLineOffline', user, server, when) : t('syncLineConnecting', user, server, when);
}

/** The options page's "Last sync" value: when, in full, and live, offline or connecting, as the popup's line says. */
export function lastSyncValue(status: AccountStatus): string {
  const when = status.lastSyncAt ? formatDate(status.lastSyncAt) : t('accountNotYet');
  if (status.live) return t('accountLastSyncLive', when);
  return status.offline ? t('accountLastSyncOffline', when) : t('accountLastSyncConnecting', when);
}
