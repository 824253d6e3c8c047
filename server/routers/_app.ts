// The whole API. The extension imports `type AppRouter` from here and nothing else.
import { directQueriesOf } from '../direct-query.ts';
import { router } from '../trpc.ts';
import { accountRouter } from './account.ts';
import { eventsRouter } from './events.ts';
import { linksRouter } from './links.ts';
import { messagesRouter } from './messages.ts';
import { peopleRouter } from './people.ts';
import { sharesRouter } from './shares.ts';
import { vaultRouter } from './vault.ts';

export const appRouter = router({
  account: accountRouter,
  vault: vaultRouter,
  events: eventsRouter,
  links: linksRouter,
  people: peopleRouter,
  shares: sharesRouter,
  messages: messagesRouter,
});

export type AppRouter = typeof appRouter;

/** Queries the HTTP fast road answers without tRPC's middleware machinery (direct-query.ts). */
export const directQueries = directQueriesOf(appRouter);
