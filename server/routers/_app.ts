// The whole API. The extension imports `type AppRouter` from here and nothing else.
import type { DirectQuery } from '../fast-query.ts';
import { router } from '../trpc.ts';
import { accountRouter } from './account.ts';
import { eventsRouter } from './events.ts';
import { linksRouter } from './links.ts';
import { messagesRouter } from './messages.ts';
import { peopleRouter } from './people.ts';
import { changesDirect, vaultRouter } from './vault.ts';

export const appRouter = router({
  account: accountRouter,
  vault: vaultRouter,
  events: eventsRouter,
  links: linksRouter,
  people: peopleRouter,
  messages: messagesRouter,
});

export type AppRouter = typeof appRouter;

/** Queries the HTTP fast road answers without tRPC's middleware machinery (see fast-query.ts). */
export const directQueries: Record<string, DirectQuery> = {
  'vault.changes': changesDirect,
};
