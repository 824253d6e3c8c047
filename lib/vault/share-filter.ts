// The list's quick filters over shares (issue 14): "Shared with me", "I shared", and "I shared with
// <person>", decided from each entry's share mark, and the counts the filter menu shows.
import type { EntrySummary } from '../model/entry';

export type SharedFilter = { kind: 'withMe' } | { kind: 'byMe' } | { kind: 'byMeWith'; userId: string };

export interface ShareFacets {
  withMe: number;
  byMe: number;
  /** Per person (name = their user id): entries I shared with them. */
  with: { name: string; count: number }[];
}

export function sharedMatches(entry: Pick<EntrySummary, 'share'>, filter: SharedFilter): boolean {
  const share = entry.share;
  if (!share) return false;
  switch (filter.kind) {
    case 'withMe':
      return !share.byMe;
    case 'byMe':
      return share.byMe;
    case 'byMeWith':
      return share.byMe && share.with.includes(filter.userId);
  }
}

export function shareFacets(entries: readonly Pick<EntrySummary, 'share'>[]): ShareFacets {
  let withMe = 0;
  let byMe = 0;
  const counts = new Map<string, number>();
  for (const { share } of entries) {
    if (!share) continue;
    if (!share.byMe) {
      withMe++;
      continue;
    }
    byMe++;
    for (const userId of new Set(share.with)) counts.set(userId, (counts.get(userId) ?? 0) + 1);
  }
  return { withMe, byMe, with: [...counts].map(([name, count]) => ({ name, count })) };
}

/** A filter from what a person sent (a message is untrusted input): null for anything else. */
export function readSharedFilter(value: unknown): SharedFilter | null {
  const v = value as { kind?: unknown; userId?: unknown } | null | undefined;
  if (v?.kind === 'withMe' || v?.kind === 'byMe') return { kind: v.kind };
  if (v?.kind === 'byMeWith' && typeof v.userId === 'string' && v.userId.length > 0 && v.userId.length <= 200) return { kind: 'byMeWith', userId: v.userId };
  return null;
}
