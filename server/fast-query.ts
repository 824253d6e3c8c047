// A shorter road for plain JSON queries (GET, batched or not): call the procedures through
// createCaller — the same middlewares, the same zod input, the same resolvers — and write the
// answer in tRPC's own response format, without converting the request and response to Fetch API
// objects, which costs several times the work of the query itself on the hottest call of all
// (an idle device asking "anything new since cursor N?"). Anything else (an error, streaming,
// subscriptions, mutations, unusual parameters) returns false and goes through tRPC's handler,
// which then gives exactly the answer it always gives. Queries have no side effects, so running
// one again on that road is harmless. Hot signed-in queries (vault.changes, most of the traffic)
// go one step further: their direct route (server/direct-query.ts, built from the same definition
// as the procedure) skips tRPC's middleware machinery too, and on SQLite it answers
// synchronously, without a single promise.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnyTRPCRouter } from '@trpc/server';
import type { Context } from './context.ts';

/** A query's direct route (direct-query.ts); throws (or rejects) to hand over to tRPC. */
export type DirectQuery = (ctx: Context, rawInput: unknown) => unknown;

type Call = (input: unknown) => Promise<unknown>;

/** The parameters of a query string in the form tRPC's client sends, or null for anything else. */
function queryParameters(url: string): { batch: boolean; rawInput: string | null } | null {
  const q = url.indexOf('?');
  let batch = false;
  let rawInput: string | null = null;
  if (q === -1) return { batch, rawInput };
  let at = q + 1;
  while (at < url.length) {
    let end = url.indexOf('&', at);
    if (end === -1) end = url.length;
    const eq = url.indexOf('=', at);
    // Names other than these two (or spelled with escapes, or without a value) go to tRPC.
    if (eq === -1 || eq > end) return null;
    const name = url.slice(at, eq);
    // tRPC reads the first of repeated names: repeats go to tRPC too.
    if (name === 'batch' && !batch && end - eq === 2 && url.charCodeAt(eq + 1) === 49 /* 1 */) batch = true;
    else if (name === 'input' && rawInput === null) {
      // What URLSearchParams gives for valid escapes; it also accepts invalid ones, which go to tRPC.
      try {
        rawInput = decodeURIComponent(url.slice(eq + 1, end).replaceAll('+', ' '));
      } catch {
        return null;
      }
    } else return null;
    at = end + 1;
  }
  return { batch, rawInput };
}

const isPromise = (value: unknown): value is Promise<unknown> => value instanceof Promise;

export function createQueryFastPath(
  router: AnyTRPCRouter,
  createCaller: (ctx: Context) => unknown,
  createContext: (req: IncomingMessage) => Context,
  maxBatchSize: number,
  /** Direct routes by procedure path, for the hottest calls (directQueriesOf). */
  direct: Record<string, DirectQuery> = {},
) {
  const procedures = router._def.procedures as Record<string, { _def: { type: string } }>;
  const isQuery = (path: string) => procedures[path]?._def.type === 'query';
  const callerFn = (caller: unknown, path: string): Call =>
    path.split('.').reduce<any>((at, key) => at[key], caller) as Call;
  // The headers of a JSON answer, per list of base headers (there are only a few such lists).
  const jsonHeaders = new WeakMap<string[], string[]>();

  function answer(res: ServerResponse, headers: string[], batch: boolean, results: unknown[]): boolean {
    let body: string;
    try {
      body = JSON.stringify(batch ? results.map((data) => ({ result: { data } })) : { result: { data: results[0] } });
    } catch {
      return false;
    }
    let json = jsonHeaders.get(headers);
    if (!json) jsonHeaders.set(headers, (json = [...headers, 'Content-Type', 'application/json', 'Vary', 'trpc-accept, accept']));
    const all = json.slice();
    all.push('Content-Length', String(Buffer.byteLength(body)));
    res.writeHead(200, all);
    res.end(body);
    return true;
  }

  /**
   * True when it answered; false (or a promise of false) to hand the request to the tRPC handler,
   * nothing written yet. Synchronous when every procedure asked answers synchronously.
   */
  return function tryFastQuery(req: IncomingMessage, res: ServerResponse, path: string, headers: string[]): boolean | Promise<boolean> {
    if (req.method !== 'GET' || req.headers['trpc-accept'] !== undefined) return false;
    const params = queryParameters(req.url ?? '');
    if (!params) return false;
    const { batch, rawInput } = params;
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
    let ctx: Context;
    try {
      ctx = createContext(req);
    } catch {
      return false;
    }
    let caller: unknown = null;
    const results: unknown[] = [];
    let pending = false;
    for (let i = 0; i < paths.length; i++) {
      const fn = direct[paths[i]!];
      let result: unknown;
      try {
        if (fn) result = fn(ctx, inputs[i]);
        else {
          caller ??= createCaller(ctx);
          result = callerFn(caller, paths[i]!)(inputs[i]);
        }
      } catch (e) {
        result = Promise.reject(e);
      }
      pending ||= isPromise(result);
      results.push(result);
    }
    if (!pending) return answer(res, headers, batch, results);
    return Promise.all(results).then(
      (values) => answer(res, headers, batch, values),
      () => false,
    );
  };
}
