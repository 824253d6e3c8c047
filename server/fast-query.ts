// A shorter road for plain JSON queries (GET, batched or not): call the procedures through
// createCaller — the same middlewares, the same zod input, the same resolvers — and write the
// answer in tRPC's own response format, without converting the request and response to Fetch API
// objects, which costs several times the work of the query itself on the hottest call of all
// (an idle device asking "anything new since cursor N?"). Anything else (an error, streaming,
// subscriptions, mutations, unusual parameters) returns false and goes through tRPC's handler,
// which then gives exactly the answer it always gives. Queries have no side effects, so running
// one again on that road is harmless. vault.changes goes one step further: its direct route
// (routers/vault.ts) skips tRPC's middleware machinery too, since it is most of the traffic.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnyTRPCRouter } from '@trpc/server';
import type { Context } from './context.ts';

type Call = (input: unknown) => Promise<unknown>;

export function createQueryFastPath(
  router: AnyTRPCRouter,
  createCaller: (ctx: Context) => unknown,
  createContext: (req: IncomingMessage) => Context,
  maxBatchSize: number,
  /** Queries with a hand-written twin of their middleware chain, for the hottest calls. */
  direct: Record<string, (ctx: Context, rawInput: unknown) => Promise<unknown>> = {},
) {
  const procedures = router._def.procedures as Record<string, { _def: { type: string } }>;
  const isQuery = (path: string) => procedures[path]?._def.type === 'query';
  const callerFn = (caller: unknown, path: string): Call =>
    path.split('.').reduce<any>((at, key) => at[key], caller) as Call;

  /** True when it answered; false to hand the request to the tRPC handler (nothing written yet). */
  return async function tryFastQuery(req: IncomingMessage, res: ServerResponse, path: string, headers: string[]): Promise<boolean> {
    if (req.method !== 'GET' || req.headers['trpc-accept'] !== undefined) return false;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const params = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
    let batch = false;
    let rawInput: string | null = null;
    for (const [key, value] of params) {
      if (key === 'batch' && value === '1') batch = true;
      else if (key === 'input') rawInput = value;
      else return false;
    }
    const paths = batch ? path.split(',') : [path];
    if (paths.length > maxBatchSize || !paths.every(isQuery)) return false;
    let inputs: unknown[];
    try {
      const parsed: unknown = rawInput === null ? undefined : JSON.parse(rawInput);
      if (batch) {
        if (parsed !== undefined && (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))) return false;
        inputs = paths.map((_, i) => (parsed as Record<string, unknown> | undefined)?.[i]);
      } else {
        inputs = [parsed];
      }
    } catch {
      return false;
    }
    let results: unknown[];
    try {
      const ctx = createContext(req);
      let caller: unknown = null;
      results = await Promise.all(
        paths.map((p, i) => {
          const fn = direct[p];
          if (fn) return fn(ctx, inputs[i]);
          caller ??= createCaller(ctx);
          return callerFn(caller, p)(inputs[i]);
        }),
      );
    } catch {
      return false;
    }
    const body = JSON.stringify(batch ? results.map((data) => ({ result: { data } })) : { result: { data: results[0] } });
    res.writeHead(200, [...headers, 'Content-Type', 'application/json', 'Vary', 'trpc-accept, accept', 'Content-Length', String(Buffer.byteLength(body))]);
    res.end(body);
    return true;
  };
}
