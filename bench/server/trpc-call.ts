// A tRPC mutation over HTTP as the benchmarks' clients send it (a bearer token when signed in).
export async function call<T>(base: string, path: string, input: unknown, token?: string): Promise<T> {
  const res = await fetch(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { result?: { data: T }; error?: unknown };
  if (!res.ok || !body.result) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(body.error).slice(0, 200)}`);
  return body.result.data;
}
