// Hot signed-in queries, written once and served on two roads. A definition (input schema and
// resolver) becomes both a tRPC procedure (authedProcedure: the signed-in middleware, zod input,
// the resolver) and a direct route that server/fast-query.ts calls without tRPC's middleware
// machinery: the same zod input, signedIn.peek (the signed-in check without its writes) and the
// same resolver, synchronously on SQLite. Whatever the definition checks (an input rule, a
// membership test in the resolver) therefore holds on both roads, and so does every change to
// signedIn (trpc.ts). The direct route only ever answers what the procedure would; whenever it
// cannot (no current session, bad input, an error of the resolver) it throws, and the request
// goes through tRPC, which gives exactly the answer it always gives.
import type { z } from 'zod';
import type { AnyTRPCRouter } from '@trpc/server';
import type { Context } from './context.ts';
import { whenReady, type MaybePromise } from './db/prepared.ts';
import type { DirectQuery } from './fast-query.ts';
import { authedProcedure, signedIn, type SignedInContext } from './trpc.ts';

export interface SignedInQueryDefinition<Input extends z.ZodType, Output> {
  input: Input;
  /** Runs after the signed-in check on either road; checks of its own (membership…) go here. */
  resolve(ctx: SignedInContext, input: z.output<Input>): MaybePromise<Output>;
}

/** A definition, typed (the resolver's parameters come from the input schema). */
export function defineSignedInQuery<Input extends z.ZodType, Output>(definition: SignedInQueryDefinition<Input, Output>) {
  return definition;
}

/** Thrown by a direct route that leaves the request to tRPC; never reaches a client. */
class HandOver extends Error {}

/** The direct route of each procedure built by signedInQuery. */
const directRoutes = new WeakMap<object, DirectQuery>();

/**
 * A signed-in query with a direct route, from one definition. The definition's fields are read
 * on every call, so a wrapper put on it (as tests do) reaches both roads.
 */
export function signedInQuery<Input extends z.ZodType, Output>(definition: SignedInQueryDefinition<Input, Output>) {
  const procedure = authedProcedure.input(definition.input).query(({ ctx, input }) => definition.resolve(ctx, input as z.output<Input>));
  const direct = (ctx: Context, rawInput: unknown): MaybePromise<Output> => {
    const input = definition.input.parse(rawInput) as z.output<Input>;
    return whenReady(signedIn.peek(ctx), (signed) => {
      if (!signed) throw new HandOver('No current session: the request goes through signedIn.check');
      // A plain object literal, every field named: measured against the pre-sharing server
      // (server.vault.changes.empty, 150,000 polls), a spread ({ ...ctx, ...signed }) cost about
      // a fifth more CPU per poll, and a prototype (Object.create(ctx)) or a getter on the context
      // nearly doubled it.
      const context: SignedInContext = { deps: ctx.deps, token: ctx.token, ip: ctx.ip, session: signed.session, head: signed.head };
      return definition.resolve(context, input);
    });
  };
  directRoutes.set(procedure, direct);
  return procedure;
}

/** Every direct route of a router, by procedure path ('vault.changes'), for fast-query.ts. */
export function directQueriesOf(router: AnyTRPCRouter): Record<string, DirectQuery> {
  const routes: Record<string, DirectQuery> = {};
  for (const [path, procedure] of Object.entries(router._def.procedures as Record<string, object>)) {
    const direct = directRoutes.get(procedure);
    if (direct) routes[path] = direct;
  }
  return routes;
}
