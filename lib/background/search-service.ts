// Answers the popup's list: filter and rank every entry here, send back only the rows it shows.
// Sending all 10,000 summaries to the popup costs far more than searching them where they are.
import { AppError } from '../errors';
import type { VaultListing, VaultQuery, VaultQueryResult } from '../messages/protocol';
import type { MessageRouter } from '../messages/router';
import { buildListing, filterListing, type ListedEntry, type Listing } from '../vault/search';
import { readSharedFilter } from '../vault/share-filter';
import { rankForPage } from '../vault/site-rank';
import type { SessionService, VaultService } from './types';
import { t } from '../i18n';

export const MAX_QUERY_ROWS = 200;

export interface SearchDeps {
  router: MessageRouter;
  vault: VaultService;
  session: SessionService;
  /** Problems found outside the vault's own records (records refused by sync), shown with the vault's. */
  problems?: () => Promise<VaultListing['problems']>;
}

export function createSearchService(deps: SearchDeps) {
  const { router, vault, session } = deps;
  let listing: { pageUrl: string; value: Listing } | undefined;
  let filtered: { key: string; items: readonly ListedEntry[] } | undefined;

  /** Counts forgets: a listing read across one is already stale and is not kept. */
  let generation = 0;
  const forget = () => {
    generation++;
    listing = undefined;
    filtered = undefined;
  };
  vault.onChange(forget);
  session.onLock(forget);

  async function query(q: VaultQuery): Promise<VaultQueryResult> {
    if (typeof q?.query !== 'string' || q.query.length > 1000 || !Number.isInteger(q.offset) || q.offset < 0 || !Number.isInteger(q.limit) || q.limit < 0) {
      throw new AppError('BAD_INPUT', t('errorSearchUnreadable'));
    }
    const pageUrl = typeof q.pageUrl === 'string' ? q.pageUrl : '';
    const at = generation;
    const [{ entries, problems: unreadable }, refused] = await Promise.all([vault.listing(), deps.problems?.() ?? []]);
    const problems = refused.length > 0 ? [...unreadable.filter((p) => !refused.some((r) => r.id === p.id)), ...refused] : unreadable;
    // The vault changed while it was read (a sync forgot a share's entries): this answer is built
    // from what was read, but not kept, or the next query (the one the change asks for) reuses it.
    const keep = at === generation;
    let current = keep ? listing : undefined;
    if (!current || current.pageUrl !== pageUrl) {
      current = { pageUrl, value: buildListing(entries, pageUrl ? { pageUrl, rank: rankForPage } : undefined) };
      if (keep) {
        listing = current;
        filtered = undefined;
      }
    }
    const folder = typeof q.folder === 'string' ? q.folder : null;
    const tag = typeof q.tag === 'string' ? q.tag : null;
    const shared = readSharedFilter(q.shared);
    const key = JSON.stringify([q.query, folder, tag, shared]);
    let items = keep && filtered?.key === key ? filtered.items : undefined;
    if (!items) {
      items = filterListing(current.value.items, { query: q.query, folder, tag, shared });
      if (keep) filtered = { key, items };
    }
    const window = items.slice(q.offset, q.offset + Math.min(q.limit, MAX_QUERY_ROWS));
    let siteCount = 0;
    while (siteCount < items.length && items[siteCount]!.site) siteCount++;
    return {
      total: items.length,
      siteCount,
      rows: window.map((i) => ({ ...i.summary, site: i.site })),
      folders: current.value.folders,
      tags: current.value.tags,
      shares: current.value.shares,
      problems,
    };
  }

  router.on('vault.query', (q) => query(q));
  return { query };
}
