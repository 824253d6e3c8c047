// The entries of an import that look like ones already in the vault: same site (host of any URL)
// and same username. The preview asks, for each, whether to skip, merge or keep both.
import type { EntryFields, EntrySummary } from '../model/entry';
import type { ImportedEntry } from './model';

function hostOf(url: string): string | undefined {
  try {
    return new URL(url.includes('://') ? url : `https://${url}`).host.toLowerCase();
  } catch {
    return undefined;
  }
}

const keyOf = (host: string, username: string) => `${host}\u0000${username.trim().toLowerCase()}`;

/** Index of each imported entry that matches an existing one → that entry's id (the first found). */
export function findDuplicates(imported: ImportedEntry[], existing: Pick<EntrySummary, 'id' | 'urls' | 'username'>[]): Map<number, string> {
  const known = new Map<string, string>();
  for (const e of existing) {
    for (const u of e.urls) {
      const host = hostOf(u);
      if (host && !known.has(keyOf(host, e.username))) known.set(keyOf(host, e.username), e.id);
    }
  }
  const found = new Map<number, string>();
  imported.forEach((e, i) => {
    for (const u of e.urls) {
      const id = known.get(keyOf(hostOf(u) ?? '', e.username));
      if (id) {
        found.set(i, id);
        return;
      }
    }
  });
  return found;
}

const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];

/**
 * An imported entry merged into one already here: the imported password, username and one-time
 * code win when they are set (the person is moving in from that manager), URLs and tags are joined,
 * notes appended when they differ; title, folder and autologin stay as they were.
 */
export function mergeImported(existing: EntryFields, imported: EntryFields): EntryFields {
  const notes = !imported.notes || existing.notes.includes(imported.notes) ? existing.notes : existing.notes ? `${existing.notes}\n\n${imported.notes}` : imported.notes;
  const totp = imported.totp || existing.totp;
  return {
    ...existing,
    username: imported.username || existing.username,
    password: imported.password || existing.password,
    urls: union(existing.urls, imported.urls),
    tags: union(existing.tags, imported.tags),
    notes,
    ...(totp ? { totp } : {}),
  };
}
